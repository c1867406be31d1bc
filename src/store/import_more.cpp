#include "store/import_more.hpp"

#include <string>
#include <utility>

#include "formats/journal_json.hpp"

namespace mitra::store::detail {

namespace {

using nlohmann::json;
using Clash = ImportOutcome::Clash;

enum class Found { absent, same, clash };

// What the look-up found for each record of the import, by kind, in input order.
struct Lookup {
  std::vector<Found> doses;
  std::vector<Found> uses;
  std::vector<Found> products;
  std::vector<Found> assessments;
  std::vector<Found> plan_versions;
  std::vector<Found> settings;
  bool stop = false;  // A clash that no policy may resolve: nothing is written.
};

// The undo log names a plan version "plan_id/version", as idempotency keys do.
std::string plan_version_key(const PlanVersion& v) {
  return v.plan_id + "/" + std::to_string(v.version);
}

// What must match for a stored plan version to be the imported one. The status is left out:
// a reader derives "superseded" from the versions written after it.
bool same_plan_version(const PlanVersion& a, const PlanVersion& b) {
  if (a.plan_id != b.plan_id || a.version != b.version || a.created_at != b.created_at ||
      a.reason != b.reason) {
    return false;
  }
  const json left = json::parse(a.body_json, nullptr, /*allow_exceptions=*/false);
  const json right = json::parse(b.body_json, nullptr, /*allow_exceptions=*/false);
  return left.is_discarded() || right.is_discarded() ? a.body_json == b.body_json : left == right;
}

Clash clash_of(Clash::Kind kind, std::size_t index) {
  Clash clash;
  clash.kind = kind;
  clash.index = index;
  return clash;
}

// Looks every record up; adds each clash to `out.clashes`.
Result<Lookup> look_up(ImportEngine& engine, const ImportRecords& records, OnConflict on_conflict,
                       ImportOutcome& out) {
  Lookup found;
  found.doses.assign(records.doses.size(), Found::absent);
  found.uses.assign(records.substance_uses.size(), Found::absent);
  found.products.assign(records.products.size(), Found::absent);
  found.assessments.assign(records.assessments.size(), Found::absent);
  found.plan_versions.assign(records.plan_versions.size(), Found::absent);
  found.settings.assign(records.settings.size(), Found::absent);
  for (std::size_t i = 0; i < records.doses.size(); ++i) {
    const core::Dose& mine = records.doses[i];
    if (mine.id.empty()) continue;
    auto stored = engine.find_dose(mine.id);
    if (!stored) return tl::unexpected(stored.error());
    if (*stored) {
      found.doses[i] = **stored == mine ? Found::same : Found::clash;
      if (found.doses[i] == Found::clash) {
        out.clashes.push_back(clash_of(Clash::Kind::dose, i));
        out.clashes.back().stored_dose = **stored;
      }
      continue;
    }
    auto other = engine.find_use(mine.id);
    if (!other) return tl::unexpected(other.error());
    if (*other) {
      out.clashes.push_back(clash_of(Clash::Kind::dose, i));
      out.clashes.back().stored_use = **other;
      out.clashes.back().other_kind = true;
      found.stop = true;
    }
  }
  for (std::size_t i = 0; i < records.substance_uses.size(); ++i) {
    const core::SubstanceUse& mine = records.substance_uses[i];
    if (mine.id.empty()) continue;
    auto stored = engine.find_use(mine.id);
    if (!stored) return tl::unexpected(stored.error());
    if (*stored) {
      found.uses[i] = **stored == mine ? Found::same : Found::clash;
      if (found.uses[i] == Found::clash) {
        out.clashes.push_back(clash_of(Clash::Kind::substance_use, i));
        out.clashes.back().stored_use = **stored;
      }
      continue;
    }
    auto other = engine.find_dose(mine.id);
    if (!other) return tl::unexpected(other.error());
    if (*other) {
      out.clashes.push_back(clash_of(Clash::Kind::substance_use, i));
      out.clashes.back().stored_dose = **other;
      out.clashes.back().other_kind = true;
      found.stop = true;
    }
  }
  if (!records.products.empty()) {
    auto stored = engine.list_products();
    if (!stored) return tl::unexpected(stored.error());
    for (std::size_t i = 0; i < records.products.size(); ++i) {
      for (const auto& known : *stored) {
        if (known.name != records.products[i].name) continue;
        found.products[i] = known == records.products[i] ? Found::same : Found::clash;
        if (found.products[i] == Found::clash) {
          out.clashes.push_back(clash_of(Clash::Kind::product, i));
          out.clashes.back().stored_product = known;
        }
      }
    }
  }
  for (std::size_t i = 0; i < records.assessments.size(); ++i) {
    const Assessment& mine = records.assessments[i];
    if (mine.id.empty()) continue;
    auto stored = engine.find_assessment(mine.id);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) continue;
    found.assessments[i] = **stored == mine ? Found::same : Found::clash;
    if (found.assessments[i] == Found::clash) {
      out.clashes.push_back(clash_of(Clash::Kind::assessment, i));
      out.clashes.back().stored_assessment = **stored;
    }
  }
  for (std::size_t i = 0; i < records.plan_versions.size(); ++i) {
    const PlanVersion& mine = records.plan_versions[i];
    auto stored = engine.find_plan_version(mine.plan_id, mine.version);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) continue;
    found.plan_versions[i] = same_plan_version(**stored, mine) ? Found::same : Found::clash;
    if (found.plan_versions[i] == Found::clash) {
      out.clashes.push_back(clash_of(Clash::Kind::plan_version, i));
      out.clashes.back().stored_plan_version = **stored;
      if (on_conflict == OnConflict::replace) found.stop = true;  // Plans only grow.
    }
  }
  for (std::size_t i = 0; i < records.settings.size(); ++i) {
    const auto& [key, value] = records.settings[i];
    auto stored = engine.read_setting(key);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) continue;
    found.settings[i] = **stored == value ? Found::same : Found::clash;
    if (found.settings[i] == Found::clash) {
      out.clashes.push_back(clash_of(Clash::Kind::setting, i));
      out.clashes.back().stored_setting = **stored;
    }
  }
  return found;
}

// Writes one kind of record: what was found absent, or clashing under replace. `write` gets
// the record's index and, for a clash, is to replace the stored one. New ones are counted in
// `imported` (the kind's count) too.
template <typename Write>
Result<void> write_each(const std::vector<Found>& found, bool replace, bool undoable,
                        ImportOutcome& out, int& imported, Write write) {
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (found[i] == Found::same) {
      ++out.already_present;
      continue;
    }
    if (found[i] == Found::clash && !replace) {
      ++out.skipped;
      continue;
    }
    if (auto done = write(i, found[i] == Found::clash); !done) return done;
    if (found[i] == Found::clash) {
      ++out.replaced;
    } else {
      ++out.imported;
      ++imported;
    }
    if (undoable) ++out.undoable;
  }
  return {};
}

}  // namespace

Result<ImportOutcome> import_all(ImportEngine& engine, const ImportRecords& records,
                                 OnConflict on_conflict) {
  ImportOutcome out;
  auto found = look_up(engine, records, on_conflict, out);
  if (!found) return tl::unexpected(found.error());
  if (found->stop || (on_conflict == OnConflict::fail && !out.clashes.empty())) return out;

  const std::string batch = new_id();
  const bool replace = on_conflict == OnConflict::replace;
  const auto log = [&](const char* kind, const std::string& id, const std::optional<json>& before) {
    return engine.record_change(batch, kind, before ? "update" : "insert", id, before);
  };
  // A record with an id of its own (a dose, a substance use, an assessment): over the stored one
  // with its id when they clash (what it was goes in the undo log), else new.
  const auto put_record = [&](auto record, bool clash, const char* kind, auto find, auto remove,
                              auto insert) -> Result<void> {
    std::optional<json> before;
    if (clash) {
      auto stored = (engine.*find)(record.id);
      if (!stored) return tl::unexpected(stored.error());
      if (*stored) before = formats::to_json(**stored);
      if (auto gone = (engine.*remove)(record.id); !gone) return gone;
    }
    if (record.id.empty()) record.id = new_id();
    if (auto put = (engine.*insert)(record); !put) return put;
    return log(kind, record.id, before);
  };
  auto done = write_each(
      found->doses, replace, true, out, out.imported_by_kind.doses, [&](std::size_t i, bool clash) {
        return put_record(records.doses[i], clash, "dose", &ImportEngine::find_dose,
                          &ImportEngine::delete_dose_row, &ImportEngine::insert_dose);
      });
  if (!done) return tl::unexpected(done.error());
  done = write_each(found->uses, replace, true, out, out.imported_by_kind.substance_uses,
                    [&](std::size_t i, bool clash) {
                      return put_record(records.substance_uses[i], clash, "substance_use",
                                        &ImportEngine::find_use, &ImportEngine::delete_use_row,
                                        &ImportEngine::insert_use);
                    });
  if (!done) return tl::unexpected(done.error());
  // Products are not part of undo.
  done =
      write_each(found->products, replace, false, out, out.imported_by_kind.products,
                 [&](std::size_t i, bool) { return engine.upsert_product(records.products[i]); });
  if (!done) return tl::unexpected(done.error());
  done = write_each(found->assessments, replace, true, out, out.imported_by_kind.assessments,
                    [&](std::size_t i, bool clash) {
                      return put_record(records.assessments[i], clash, "assessment",
                                        &ImportEngine::find_assessment,
                                        &ImportEngine::delete_assessment,
                                        &ImportEngine::insert_assessment);
                    });
  if (!done) return tl::unexpected(done.error());
  // A clashing plan version never gets here under replace: look_up stopped the import.
  done = write_each(found->plan_versions, replace, true, out, out.imported_by_kind.plan_versions,
                    [&](std::size_t i, bool) {
                      const PlanVersion& v = records.plan_versions[i];
                      if (auto put = engine.insert_plan_version(v); !put) return put;
                      return log("plan_version", plan_version_key(v), std::nullopt);
                    });
  if (!done) return tl::unexpected(done.error());
  done = write_each(found->settings, replace, true, out, out.imported_by_kind.settings,
                    [&](std::size_t i, bool clash) {
                      const auto& [key, value] = records.settings[i];
                      std::optional<json> before;
                      if (clash) {
                        auto stored = engine.read_setting(key);
                        if (!stored) return Result<void>(tl::unexpected(stored.error()));
                        if (*stored) before = json{{"value", **stored}};
                      }
                      if (auto put = engine.write_setting(key, value); !put) return put;
                      return log("setting", key, before);
                    });
  if (!done) return tl::unexpected(done.error());
  out.written = true;
  return out;
}

Result<void> revert_change(ImportEngine& engine, const std::string& kind, const std::string& op,
                           const std::string& id, const std::optional<std::string>& before) {
  const auto damaged = [] {
    return core::fail(core::ErrorKind::internal, "the undo record is damaged");
  };
  const json snapshot = json::parse(before.value_or(""), nullptr, /*allow_exceptions=*/false);
  if (kind == "dose") {
    if (auto done = engine.delete_dose_row(id); !done) return done;
    if (op == "insert") return {};
    auto earlier = formats::dose_from_json(snapshot);
    if (!earlier) return damaged();
    return engine.insert_dose(*earlier);
  }
  if (kind == "substance_use") {
    if (auto done = engine.delete_use_row(id); !done) return done;
    if (op == "insert") return {};
    auto earlier = formats::substance_use_from_json(snapshot);
    if (!earlier) return damaged();
    return engine.insert_use(*earlier);
  }
  if (kind == "assessment") {
    if (auto done = engine.delete_assessment(id); !done) return done;
    if (op == "insert") return {};
    auto earlier = formats::assessment_from_json(snapshot);
    if (!earlier) return damaged();
    return engine.insert_assessment(*earlier);
  }
  if (kind == "plan_version") {
    const auto slash = id.rfind('/');
    if (slash == std::string::npos) return damaged();
    int version = 0;
    try {
      version = std::stoi(id.substr(slash + 1));
    } catch (const std::exception&) {
      return damaged();
    }
    return engine.delete_plan_version(id.substr(0, slash), version);
  }
  if (kind == "setting") {
    if (op == "insert") return engine.delete_setting(id);
    if (!snapshot.is_object() || !snapshot.contains("value") || !snapshot["value"].is_string()) {
      return damaged();
    }
    return engine.write_setting(id, snapshot["value"].get<std::string>());
  }
  return damaged();
}

core::Sentence undo_description(const std::string& kind, const std::string& op, std::size_t count) {
  if (count > 1) {
    return core::sentence("removed the {count} imported records",
                          {{"count", std::to_string(count)}});
  }
  // The kind's words, as a sentence of their own so that they are translated too.
  const core::Sentence what = kind == "dose"            ? core::sentence("dose")
                              : kind == "substance_use" ? core::sentence("substance use")
                              : kind == "assessment"    ? core::sentence("check-in")
                              : kind == "plan_version"  ? core::sentence("plan version")
                              : kind == "setting"       ? core::sentence("setting")
                                                        : core::sentence("record");
  if (op == "insert")
    return core::sentence("removed the {what} that was just logged").with("what", what);
  if (op == "update") {
    return core::sentence("put back the {what} as it was before the edit").with("what", what);
  }
  return core::sentence("restored the deleted {what}").with("what", what);
}

std::string change_kind_words(const std::string& kind) {
  if (kind == "dose") return "dose";
  if (kind == "substance_use") return "substance use";
  if (kind == "assessment") return "check-in";
  if (kind == "plan_version") return "plan version";
  if (kind == "setting") return "setting";
  return "record";
}

}  // namespace mitra::store::detail
