#include "store/import_more.hpp"

#include <string>
#include <utility>

#include "formats/journal_json.hpp"

namespace mitra::store::detail {

namespace {

using nlohmann::json;

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

using Clash = ImportOutcome::Clash;

}  // namespace

Result<MoreFound> check_more(ImportEngine& engine, const ImportRecords& records,
                             OnConflict on_conflict, ImportOutcome& out) {
  MoreFound found;
  found.assessments.assign(records.assessments.size(), Found::absent);
  found.plan_versions.assign(records.plan_versions.size(), Found::absent);
  found.settings.assign(records.settings.size(), Found::absent);
  for (std::size_t i = 0; i < records.assessments.size(); ++i) {
    const Assessment& mine = records.assessments[i];
    if (mine.id.empty()) continue;
    auto stored = engine.find_assessment(mine.id);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) continue;
    found.assessments[i] = **stored == mine ? Found::same : Found::clash;
    if (found.assessments[i] == Found::clash) {
      out.clashes.push_back(Clash{Clash::Kind::assessment, i, {}, {}, {}, false, **stored, {}, {}});
    }
  }
  for (std::size_t i = 0; i < records.plan_versions.size(); ++i) {
    const PlanVersion& mine = records.plan_versions[i];
    auto stored = engine.find_plan_version(mine.plan_id, mine.version);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) continue;
    found.plan_versions[i] = same_plan_version(**stored, mine) ? Found::same : Found::clash;
    if (found.plan_versions[i] == Found::clash) {
      out.clashes.push_back(
          Clash{Clash::Kind::plan_version, i, {}, {}, {}, false, {}, **stored, {}});
      if (on_conflict == OnConflict::replace) found.stop = true;
    }
  }
  for (std::size_t i = 0; i < records.settings.size(); ++i) {
    const auto& [key, value] = records.settings[i];
    auto stored = engine.read_setting(key);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) continue;
    found.settings[i] = **stored == value ? Found::same : Found::clash;
    if (found.settings[i] == Found::clash) {
      out.clashes.push_back(Clash{Clash::Kind::setting, i, {}, {}, {}, false, {}, {}, **stored});
    }
  }
  return found;
}

Result<void> write_more(ImportEngine& engine, const ImportRecords& records, const MoreFound& found,
                        const std::string& batch, OnConflict on_conflict, ImportOutcome& out) {
  const bool replace = on_conflict == OnConflict::replace;
  // Counts a record that was found as stored; true when it is to be written.
  const auto to_write = [&](Found f) {
    if (f == Found::same) ++out.already_present;
    if (f == Found::clash && !replace) ++out.skipped;
    if (f == Found::same || (f == Found::clash && !replace)) return false;
    ++(f == Found::clash ? out.replaced : out.imported);
    ++out.undoable;
    return true;
  };
  for (std::size_t i = 0; i < records.assessments.size(); ++i) {
    if (!to_write(found.assessments[i])) continue;
    Assessment a = records.assessments[i];
    std::optional<json> before;
    if (found.assessments[i] == Found::clash) {
      auto stored = engine.find_assessment(a.id);
      if (!stored) return tl::unexpected(stored.error());
      if (*stored) before = formats::to_json(**stored);
      if (auto done = engine.delete_assessment(a.id); !done) return done;
    }
    if (a.id.empty()) a.id = new_id();
    if (auto done = engine.insert_assessment(a); !done) return done;
    if (auto done =
            engine.record_change(batch, "assessment", before ? "update" : "insert", a.id, before);
        !done) {
      return done;
    }
  }
  for (std::size_t i = 0; i < records.plan_versions.size(); ++i) {
    // A clash never gets here under replace: check_more stopped the import.
    if (!to_write(found.plan_versions[i])) continue;
    const PlanVersion& v = records.plan_versions[i];
    if (auto done = engine.insert_plan_version(v); !done) return done;
    if (auto done = engine.record_change(batch, "plan_version", "insert", plan_version_key(v),
                                         std::nullopt);
        !done) {
      return done;
    }
  }
  for (std::size_t i = 0; i < records.settings.size(); ++i) {
    if (!to_write(found.settings[i])) continue;
    const auto& [key, value] = records.settings[i];
    std::optional<json> before;
    if (found.settings[i] == Found::clash) {
      auto stored = engine.read_setting(key);
      if (!stored) return tl::unexpected(stored.error());
      if (*stored) before = json{{"value", **stored}};
    }
    if (auto done = engine.write_setting(key, value); !done) return done;
    if (auto done =
            engine.record_change(batch, "setting", before ? "update" : "insert", key, before);
        !done) {
      return done;
    }
  }
  return {};
}

Result<bool> revert_more(ImportEngine& engine, const std::string& kind, const std::string& op,
                         const std::string& id, const std::optional<std::string>& before) {
  const auto damaged = [] {
    return core::fail(core::ErrorKind::internal, "the undo record is damaged");
  };
  const json snapshot = json::parse(before.value_or(""), nullptr, /*allow_exceptions=*/false);
  if (kind == "assessment") {
    if (auto done = engine.delete_assessment(id); !done) return tl::unexpected(done.error());
    if (op == "insert") return true;
    auto earlier = formats::assessment_from_json(snapshot);
    if (!earlier) return damaged();
    if (auto done = engine.insert_assessment(*earlier); !done) {
      return tl::unexpected(done.error());
    }
    return true;
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
    if (auto done = engine.delete_plan_version(id.substr(0, slash), version); !done) {
      return tl::unexpected(done.error());
    }
    return true;
  }
  if (kind == "setting") {
    if (op == "insert") {
      if (auto done = engine.delete_setting(id); !done) return tl::unexpected(done.error());
      return true;
    }
    if (!snapshot.is_object() || !snapshot.contains("value") || !snapshot["value"].is_string()) {
      return damaged();
    }
    if (auto done = engine.write_setting(id, snapshot["value"].get<std::string>()); !done) {
      return tl::unexpected(done.error());
    }
    return true;
  }
  return false;
}

std::string change_kind_words(const std::string& kind) {
  if (kind == "assessment") return "check-in";
  if (kind == "plan_version") return "plan version";
  if (kind == "setting") return "setting";
  return "";
}

}  // namespace mitra::store::detail
