#pragma once
// What a command needs from the command line: the global options, a lazily opened store and
// context, and a place to put its reply. One Session per process; nothing global.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "core/language.hpp"
#include "store/store.hpp"

namespace mitra::cli {

using core::Result;

struct Globals {
  std::string db;   // --db, else MITRA_DB, else the XDG default.
  std::string tz;   // --tz
  std::string now;  // --now
  bool json = false;
  // --lang, else the locale variables (docs/languages.md): the language of every text printed.
  // --json keys never change with it.
  core::Language language = core::kDefaultLanguage;
};

// What a command prints: `json` with --json, else `text`.
struct Reply {
  nlohmann::json json = nlohmann::json::object();
  std::string text;
};

using Action = std::function<Result<Reply>()>;

class Session {
 public:
  Globals globals;
  Action action;  // Set by the subcommand that was chosen.
  bool stdin_is_terminal = false;

  // The journal's location: --db, else $MITRA_DB, else the default path.
  std::string database() const;

  // Opens the journal (creating it on first use) and reads the settings.
  Result<app::Context*> context();
  // The engine of the journal that context() opens (for maintenance: backup).
  Result<store::Engine*> engine();

  // The instant of --now, or the real clock.
  Result<core::Instant> now(const core::TimeZone* zone) const;

 private:
  std::unique_ptr<store::Store> store_;
  std::optional<app::Context> context_;
};

// Sets `command` to run `fn(context)` once the command line is parsed: the journal is opened
// and the context made first, and their errors returned as the command's.
template <typename Command, typename Fn>
void on_run(Command& command, Session& session, Fn fn) {
  command.callback([&session, fn] {
    session.action = [&session, fn]() -> Result<Reply> {
      auto context = session.context();
      if (!context) return tl::unexpected(context.error());
      return fn(**context);
    };
  });
}

// The machine's IANA zone: $TZ when it names one, else /etc/localtime, else UTC.
std::string machine_zone();

}  // namespace mitra::cli
