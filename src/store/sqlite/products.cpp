// The products repository: capsule and teaspoon weights by name.
#include "store/sqlite/sqlite_engine.hpp"

#include <string>
#include <vector>

namespace mitra::store::sqlite {

Result<void> SqliteStore::upsert_product(const core::Product& p) {
  Statement s(statements_,
              "INSERT INTO products (name, form, capsule_mg_micro, teaspoon_mg_micro) "
              "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET form = excluded.form, "
              "capsule_mg_micro = excluded.capsule_mg_micro, "
              "teaspoon_mg_micro = excluded.teaspoon_mg_micro");
  s.bind(1, p.name)
      .bind(2, std::string(core::to_string(p.form)))
      .bind(3, p.weights.capsule_mg_micro)
      .bind(4, p.weights.teaspoon_mg_micro);
  return run(s, "saving the product");
}

Result<core::Product> SqliteStore::put_product(const core::Product& p,
                                               const std::string& idempotency_key) {
  return write<core::Product>("saving the product", [&]() -> Result<core::Product> {
    auto existing = find_idempotent_of(idempotency_key, "product");
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) {
      auto products = list_products();
      if (!products) return tl::unexpected(products.error());
      for (const auto& known : *products) {
        if (known.name == **existing) return known;
      }
    }
    if (auto done = upsert_product(p); !done) return tl::unexpected(done.error());
    if (auto done = remember_idempotent(idempotency_key, "product", p.name); !done) {
      return tl::unexpected(done.error());
    }
    return p;
  });
}

Result<std::vector<core::Product>> SqliteStore::list_products() {
  Statement s(statements_,
              "SELECT name, form, capsule_mg_micro, teaspoon_mg_micro FROM products ORDER BY name");
  std::vector<core::Product> out;
  int rc = 0;
  while ((rc = s.step()) == SQLITE_ROW) {
    core::Product p;
    p.name = s.text(0);
    p.form = core::parse_form(s.text(1)).value_or(core::Form::other);
    p.weights.capsule_mg_micro = s.optional_integer(2);
    p.weights.teaspoon_mg_micro = s.optional_integer(3);
    out.push_back(std::move(p));
  }
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading products"));
  return out;
}

}  // namespace mitra::store::sqlite
