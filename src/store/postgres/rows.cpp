#include "store/postgres/rows.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

namespace mitra::store::postgres {

std::int64_t seconds_of(core::Instant t) { return t.time_since_epoch().count(); }

core::Instant instant_of(std::int64_t seconds) {
  return core::Instant{std::chrono::seconds{seconds}};
}

std::string join_triggers(const std::vector<std::string>& triggers) {
  std::string out;
  for (const auto& t : triggers) {
    if (!out.empty()) out += ',';
    out += t;
  }
  return out;
}

std::vector<std::string> split_triggers(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

core::Dose read_brief_dose(const pqxx::row& row) {
  core::Dose d;
  d.id = row[0].as<std::string>();
  d.taken_at = instant_of(row[1].as<std::int64_t>());
  d.zone = row[2].as<std::string>();
  d.amount.micro = row[3].as<std::int64_t>();
  d.amount.unit = core::parse_unit(row[4].as<std::string>()).value_or(core::Unit::gram);
  d.form = core::parse_form(row[5].as<std::string>()).value_or(core::Form::other);
  d.product = row[6].as<std::string>();
  return d;
}

core::Dose read_dose(const pqxx::row& row) {
  core::Dose d = read_brief_dose(row);
  d.note = row[7].as<std::string>();
  d.triggers = split_triggers(row[8].as<std::string>());
  return d;
}

core::SubstanceUse read_use(const pqxx::row& row) {
  core::SubstanceUse u;
  u.id = row[0].as<std::string>();
  u.substance = core::parse_substance(row[1].as<std::string>()).value_or(core::Substance::other);
  u.taken_at = instant_of(row[2].as<std::int64_t>());
  u.zone = row[3].as<std::string>();
  u.note = row[4].as<std::string>();
  return u;
}

Assessment read_assessment(const pqxx::row& row) {
  Assessment a;
  a.id = row[0].as<std::string>();
  a.instrument = row[1].as<std::string>();
  a.taken_at = instant_of(row[2].as<std::int64_t>());
  a.zone = row[3].as<std::string>();
  const auto answers = nlohmann::json::parse(row[4].as<std::string>(), nullptr, false);
  if (answers.is_array()) {
    for (const auto& v : answers) {
      if (v.is_number_integer()) a.answers.push_back(v.get<int>());
    }
  }
  a.total = row[5].as<int>();
  a.band = row[6].as<std::string>();
  a.note = row[7].as<std::string>();
  return a;
}

PlanVersion read_plan(const pqxx::row& row) {
  PlanVersion p;
  p.plan_id = row[0].as<std::string>();
  p.version = row[1].as<int>();
  p.created_at = instant_of(row[2].as<std::int64_t>());
  p.status = row[3].as<std::string>();
  p.reason = row[4].as<std::string>();
  p.body_json = row[5].as<std::string>();
  return p;
}

core::Product read_product(const pqxx::row& row) {
  core::Product p;
  p.name = row[0].as<std::string>();
  p.form = core::parse_form(row[1].as<std::string>()).value_or(core::Form::other);
  if (!row[2].is_null()) p.weights.capsule_mg_micro = row[2].as<std::int64_t>();
  if (!row[3].is_null()) p.weights.teaspoon_mg_micro = row[3].as<std::int64_t>();
  return p;
}

}  // namespace mitra::store::postgres
