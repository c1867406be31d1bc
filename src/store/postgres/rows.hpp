#pragma once
// Rows of the PostgreSQL engine's tables to and from core values. The columns are in the
// order of the column lists in statements.hpp.

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/journal.hpp"
#include "store/store.hpp"

namespace mitra::store::postgres {

std::int64_t seconds_of(core::Instant t);
core::Instant instant_of(std::int64_t seconds);
// Triggers are kept as one comma-separated text, as SQLite keeps them.
std::string join_triggers(const std::vector<std::string>& triggers);
std::vector<std::string> split_triggers(const std::string& text);

core::Dose read_dose(const pqxx::row& row);        // All dose columns.
core::Dose read_brief_dose(const pqxx::row& row);  // Without note and triggers.
core::SubstanceUse read_use(const pqxx::row& row);
Assessment read_assessment(const pqxx::row& row);
PlanVersion read_plan(const pqxx::row& row);
core::Product read_product(const pqxx::row& row);

}  // namespace mitra::store::postgres
