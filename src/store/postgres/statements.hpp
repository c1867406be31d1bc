#pragma once
// Every query of the PostgreSQL engine, by name: each connection prepares them all when it
// opens (connection.cpp), and the engine runs them by name only.
//
// Text that is compared or sorted (ids, keys, names) is in the "C" collation (see
// migrations.cpp), so that records come back in the same order as from SQLite, byte-wise.

#include <array>

namespace mitra::store::postgres {

struct NamedStatement {
  const char* name;
  const char* sql;
};

#define MITRA_DOSE_COLUMNS "id, taken_at, zone, amount_micro, unit, form, product, note, triggers"
#define MITRA_BRIEF_DOSE_COLUMNS "id, taken_at, zone, amount_micro, unit, form, product"
#define MITRA_USE_COLUMNS "id, substance, taken_at, zone, note"
#define MITRA_ASSESSMENT_COLUMNS "id, instrument, taken_at, zone, answers, total, band, note"
#define MITRA_PLAN_COLUMNS "plan_id, version, created_at, status, reason, body"
// A plan version as read: the status as written, unless the version was active or held and a
// later version of any plan followed it, which supersedes it (rows are never updated). "Later"
// is by creation time, then by the order written (`added`), as plan_current orders them.
#define MITRA_PLAN_READ_COLUMNS                                                                   \
  "plan_id, version, created_at, CASE WHEN status IN ('active', 'held') AND (created_at, added) " \
  "< (SELECT created_at, added FROM plans ORDER BY created_at DESC, added DESC LIMIT 1) "         \
  "THEN 'superseded' ELSE status END, reason, body"
#define MITRA_IN_RANGE "taken_at >= $1 AND taken_at < $2"

inline constexpr std::array kStatements{
    // The write turn: the first statement of every write transaction (see migrations.cpp).
    NamedStatement{"take_write_turn", "UPDATE write_turn SET changes = changes + 1"},
    NamedStatement{"changes_so_far", "SELECT changes FROM write_turn"},
    NamedStatement{"transaction_alive", "SELECT 1"},
    // A transaction that writes to the log (a logical decoding message, which any user may
    // emit and no table keeps) and so, committed with synchronous_commit on, returns only once
    // the log is on disk up to it: every commit before it is durable then
    // (PostgresStore::defer_sync).
    NamedStatement{"flush_log", "SELECT pg_logical_emit_message(true, 'mitra', 'durable')"},

    NamedStatement{"key_find",
                   "SELECT kind, record_id, fingerprint FROM idempotency WHERE key = $1"},
    NamedStatement{"key_insert",
                   "INSERT INTO idempotency (key, kind, record_id, fingerprint) "
                   "VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING"},
    NamedStatement{"key_forget", "DELETE FROM idempotency WHERE record_id = $1"},

    NamedStatement{"change_insert",
                   "INSERT INTO changes (batch, kind, op, record_id, before) "
                   "VALUES ($1, $2, $3, $4, $5)"},
    NamedStatement{"change_last_batch", "SELECT batch FROM changes ORDER BY seq DESC LIMIT 1"},
    NamedStatement{"change_rows",
                   "SELECT kind, op, record_id, before FROM changes WHERE batch = $1 "
                   "ORDER BY seq DESC"},
    NamedStatement{"change_forget", "DELETE FROM changes WHERE batch = $1"},

    NamedStatement{"dose_insert", "INSERT INTO doses (" MITRA_DOSE_COLUMNS
                                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"},
    // add_dose in one round trip: the key looked up, and only when it is new (or empty) the
    // dose, the key and the undo row inserted. Answers the key's row when it was known.
    NamedStatement{"dose_add",
                   "WITH found AS (SELECT kind, record_id, fingerprint FROM idempotency "
                   "WHERE key = $10::text AND $10::text <> ''), "
                   "inserted AS (INSERT INTO doses (" MITRA_DOSE_COLUMNS ") "
                   "SELECT $1::text, $2::bigint, $3::text, $4::bigint, $5::text, $6::text, "
                   "$7::text, $8::text, $9::text WHERE NOT EXISTS (SELECT 1 FROM found) "
                   "RETURNING id), "
                   "remembered AS (INSERT INTO idempotency (key, kind, record_id, fingerprint) "
                   "SELECT $10::text, 'dose', id, $11::text FROM inserted WHERE $10::text <> '' "
                   "ON CONFLICT (key) DO NOTHING), "
                   "logged AS (INSERT INTO changes (batch, kind, op, record_id, before) "
                   "SELECT $12::text, 'dose', 'insert', id, NULL FROM inserted) "
                   "SELECT kind, record_id, fingerprint FROM found"},
    NamedStatement{"dose_find", "SELECT " MITRA_DOSE_COLUMNS " FROM doses WHERE id = $1"},
    NamedStatement{"dose_delete", "DELETE FROM doses WHERE id = $1"},
    NamedStatement{"doses_in_range", "SELECT " MITRA_DOSE_COLUMNS
                                     " FROM doses WHERE " MITRA_IN_RANGE " ORDER BY taken_at, id"},
    NamedStatement{"dose_oldest",
                   "SELECT " MITRA_DOSE_COLUMNS " FROM doses ORDER BY taken_at, id LIMIT 1"},
    NamedStatement{"dose_newest", "SELECT " MITRA_DOSE_COLUMNS
                                  " FROM doses ORDER BY taken_at DESC, id DESC LIMIT 1"},
    // LIMIT NULL is no limit.
    NamedStatement{"doses_brief_oldest_first",
                   "SELECT " MITRA_BRIEF_DOSE_COLUMNS " FROM doses WHERE " MITRA_IN_RANGE
                   " ORDER BY taken_at, id LIMIT $3"},
    NamedStatement{"doses_brief_newest_first",
                   "SELECT " MITRA_BRIEF_DOSE_COLUMNS " FROM doses WHERE " MITRA_IN_RANGE
                   " ORDER BY taken_at DESC, id DESC LIMIT $3"},
    NamedStatement{"dose_amounts", "SELECT amount_micro, unit FROM doses WHERE " MITRA_IN_RANGE
                                   " ORDER BY taken_at, id"},

    NamedStatement{"use_insert", "INSERT INTO substance_uses (" MITRA_USE_COLUMNS
                                 ") VALUES ($1, $2, $3, $4, $5)"},
    NamedStatement{"use_find", "SELECT " MITRA_USE_COLUMNS " FROM substance_uses WHERE id = $1"},
    NamedStatement{"use_delete", "DELETE FROM substance_uses WHERE id = $1"},
    NamedStatement{"uses_in_range",
                   "SELECT " MITRA_USE_COLUMNS " FROM substance_uses WHERE " MITRA_IN_RANGE
                   " ORDER BY taken_at, id"},

    NamedStatement{"assessment_find",
                   "SELECT " MITRA_ASSESSMENT_COLUMNS " FROM assessments WHERE id = $1"},
    NamedStatement{"assessment_insert", "INSERT INTO assessments (" MITRA_ASSESSMENT_COLUMNS
                                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"},
    NamedStatement{"assessment_delete", "DELETE FROM assessments WHERE id = $1"},
    NamedStatement{"assessments_in_range", "SELECT " MITRA_ASSESSMENT_COLUMNS " FROM assessments "
                                           "WHERE ($3 = '' OR instrument = $3) AND " MITRA_IN_RANGE
                                           " ORDER BY taken_at, id"},

    NamedStatement{"product_put",
                   "INSERT INTO products (name, form, capsule_mg_micro, teaspoon_mg_micro) "
                   "VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET form = excluded.form, "
                   "capsule_mg_micro = excluded.capsule_mg_micro, "
                   "teaspoon_mg_micro = excluded.teaspoon_mg_micro"},
    NamedStatement{"products_all",
                   "SELECT name, form, capsule_mg_micro, teaspoon_mg_micro FROM products "
                   "ORDER BY name"},

    NamedStatement{"setting_get", "SELECT value FROM settings WHERE key = $1"},
    NamedStatement{"settings_all", "SELECT key, value FROM settings"},
    NamedStatement{"setting_delete", "DELETE FROM settings WHERE key = $1"},
    NamedStatement{"setting_put",
                   "INSERT INTO settings (key, value) VALUES ($1, $2) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value"},

    NamedStatement{"plan_find", "SELECT " MITRA_PLAN_READ_COLUMNS
                                " FROM plans WHERE plan_id = $1 AND version = $2"},
    NamedStatement{"plan_delete", "DELETE FROM plans WHERE plan_id = $1 AND version = $2"},
    NamedStatement{"plan_next_version",
                   "SELECT coalesce(max(version), 0) + 1 FROM plans WHERE plan_id = $1"},
    NamedStatement{"plan_insert", "INSERT INTO plans (" MITRA_PLAN_COLUMNS
                                  ", added) VALUES ($1, $2, $3, $4, $5, $6, "
                                  "(SELECT coalesce(max(added), 0) + 1 FROM plans))"},
    NamedStatement{"plan_current",
                   "SELECT " MITRA_PLAN_READ_COLUMNS
                   " FROM plans ORDER BY created_at DESC, added DESC, version DESC LIMIT 1"},
    NamedStatement{"plan_history", "SELECT " MITRA_PLAN_READ_COLUMNS
                                   " FROM plans WHERE plan_id = $1 ORDER BY version"},
    NamedStatement{"plans_latest",
                   "SELECT " MITRA_PLAN_READ_COLUMNS " FROM plans AS p WHERE version = "
                   "(SELECT max(version) FROM plans WHERE plan_id = p.plan_id) "
                   "ORDER BY created_at, plan_id"},
};

#undef MITRA_DOSE_COLUMNS
#undef MITRA_BRIEF_DOSE_COLUMNS
#undef MITRA_USE_COLUMNS
#undef MITRA_ASSESSMENT_COLUMNS
#undef MITRA_PLAN_COLUMNS
#undef MITRA_PLAN_READ_COLUMNS
#undef MITRA_IN_RANGE

}  // namespace mitra::store::postgres
