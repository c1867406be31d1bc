#include "server/clinic_doors.hpp"

#include <utility>

#include "app/clinic.hpp"
#include "app/exchange.hpp"
#include "app/sharing.hpp"
#include "server/api_support.hpp"
#include "server/http_errors.hpp"
#include "server/security.hpp"
#include "server/static_files.hpp"
#include "views/sharing.hpp"

namespace mitra::server {

namespace http = boost::beast::http;

namespace {

// Idle connections to the clinic's tables kept for the next request.
constexpr std::size_t kMaxIdle = 8;

Response unauthorized(const core::Sentence& message, core::Language language) {
  return error_response(http::status::unauthorized, "unauthorized", message, language);
}

}  // namespace

core::Result<std::unique_ptr<ClinicDoorkeeper>> ClinicDoorkeeper::open(std::string database,
                                                                       Now now,
                                                                       WithJournal with_journal) {
  // Connect now, so that a wrong database (or SQLite) stops the server at start.
  auto clinic = store::open_clinic(database);
  if (!clinic) return tl::unexpected(clinic.error());
  auto doors = std::unique_ptr<ClinicDoorkeeper>(
      new ClinicDoorkeeper(std::move(database), std::move(now), std::move(with_journal)));
  doors->idle_.push_back(std::move(*clinic));
  return doors;
}

template <typename Fn>
auto ClinicDoorkeeper::with_clinic(Fn fn) -> decltype(fn(std::declval<store::ClinicRecords&>())) {
  std::unique_ptr<store::ClinicRecords> clinic;
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      clinic = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!clinic) {
    auto opened = store::open_clinic(database_);
    if (!opened) return tl::unexpected(opened.error());
    clinic = std::move(*opened);
  }
  auto result = fn(*clinic);
  const std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(clinic));
  return result;
}

std::optional<Response> ClinicDoorkeeper::admit(Request& request, const Route* route,
                                                Clock::time_point) {
  // An open route reads no credentials (sign-up and sign-in need none).
  if (route && route->access == Access::open) return std::nullopt;
  const auto token = cookie_value(request.header_list(http::field::cookie, "; "), kSessionCookie);
  if (token.empty()) {
    return unauthorized(core::sentence("Sign in first: POST /api/v1/auth/login with your "
                                       "username and password."),
                        request.accept_language);
  }
  auto account = with_clinic(
      [&](store::ClinicRecords& clinic) { return app::session_account(clinic, token, now_()); });
  if (!account) return error_response(account.error(), request.accept_language);
  if (!*account) {
    return unauthorized(core::sentence("Your session has ended; sign in again."),
                        request.accept_language);
  }
  // A browser sends cookies with cross-site requests it is tricked into, never custom headers:
  // a write must echo the CSRF token of its session in a header.
  if (request.method != http::verb::get &&
      !same_token(request.header("X-CSRF-Token"), app::csrf_token_for(token))) {
    return error_response(http::status::forbidden, "csrf",
                          core::sentence("A write needs the X-CSRF-Token header with the token "
                                         "from the mitra_csrf cookie."),
                          request.accept_language, "X-CSRF-Token");
  }
  request.account = std::move(**account);
  if (route && route->shared) {
    const auto person = request.params.find("person");
    if (person == request.params.end()) return nothing_at(request.path, request.accept_language);
    auto shared = with_clinic([&](store::ClinicRecords& clinic) {
      return clinic.open_shared(*request.account, person->second, route->scope, request.path,
                                now_());
    });
    if (!shared) return error_response(shared.error(), request.accept_language);
    // Not shared with this caller (or no such person, or not this scope): the same answer as
    // for a path that does not exist, so a caller learns nothing of who is here.
    if (!*shared) return nothing_at(request.path, request.accept_language);
    request.journal = store::journal_location(database_, (*shared)->journal);
    request.shared_scopes = (*shared)->scopes;
    return std::nullopt;
  }
  request.journal = store::journal_location(database_, request.account->journal);
  return std::nullopt;
}

std::vector<Route> ClinicDoorkeeper::routes() {
  const auto route = [this](const char* pattern, Access access,
                            Response (ClinicDoorkeeper::*fn)(const Request&)) {
    Route made{http::verb::post, pattern, nullptr, access};
    made.plain = [this, fn](const Request& request) { return (this->*fn)(request); };
    return made;
  };
  // Those that hash a password (argon2id) run off the IO threads (Route::off_io).
  const auto slow = [](Route made) {
    made.off_io = true;
    return made;
  };
  Route page{http::verb::get, "/", nullptr, Access::open};
  page.plain = [](const Request& request) {
    return *static_file("/", {request.header_list(http::field::accept_encoding),
                              request.header_list(http::field::if_none_match)});
  };
  const auto signed_in = [this](http::verb method, const char* pattern,
                                Response (ClinicDoorkeeper::*fn)(const Request&)) {
    Route made{method, pattern, nullptr, Access::token};
    made.plain = [this, fn](const Request& request) { return (this->*fn)(request); };
    return made;
  };
  // What the web app asks when it is not signed in: here it shows its sign-in form (in local
  // mode this path does not exist, and it asks for the printed address instead).
  Route mode{http::verb::get, "/api/v1/auth", nullptr, Access::open};
  mode.plain = [](const Request&) { return detail::ok({{"mode", "clinic"}}); };
  // For a monitor or a proxy's health check: this instance answers and reaches the database.
  Route health{http::verb::get, "/api/v1/health", nullptr, Access::open};
  health.plain = [this](const Request& request) {
    auto reachable =
        with_clinic([](store::ClinicRecords& clinic) { return clinic.check_reachable(); });
    if (!reachable) return error_response(reachable.error(), request.accept_language);
    return detail::ok({{"status", "ok"}, {"database", "ok"}});
  };
  return {std::move(page), std::move(mode), std::move(health),
          slow(route("/api/v1/auth/signup", Access::open, &ClinicDoorkeeper::sign_up)),
          slow(route("/api/v1/auth/login", Access::open, &ClinicDoorkeeper::log_in)),
          // Signed in, and a write by cookie: the CSRF token too.
          route("/api/v1/auth/logout", Access::token, &ClinicDoorkeeper::log_out),
          signed_in(http::verb::post, "/api/v1/shares", &ClinicDoorkeeper::post_share),
          signed_in(http::verb::get, "/api/v1/shares", &ClinicDoorkeeper::list_shares),
          signed_in(http::verb::delete_, "/api/v1/shares/{id}", &ClinicDoorkeeper::delete_share),
          signed_in(http::verb::get, "/api/v1/audit", &ClinicDoorkeeper::get_audit),
          taking(signed_in(http::verb::get, "/api/v1/people", &ClinicDoorkeeper::list_people),
                 {"quiet_days"}),
          signed_in(http::verb::post, "/api/v1/contact-requests",
                    &ClinicDoorkeeper::post_contact_request),
          signed_in(http::verb::get, "/api/v1/contact-requests",
                    &ClinicDoorkeeper::list_contact_requests),
          signed_in(http::verb::post, "/api/v1/contact-requests/{id}/handled",
                    &ClinicDoorkeeper::handle_contact_request),
          signed_in(http::verb::get, "/api/v1/me", &ClinicDoorkeeper::get_me),
          signed_in(http::verb::get, "/api/v1/me/export", &ClinicDoorkeeper::export_me),
          slow(signed_in(http::verb::delete_, "/api/v1/me", &ClinicDoorkeeper::delete_me))};
}

Response ClinicDoorkeeper::sign_up(const Request& request) {
  auto made = [&]() -> core::Result<store::Account> {
    auto body = detail::body_object(request, {"invite", "username", "password"});
    if (!body) return tl::unexpected(body.error());
    app::SignUpRequest fields;
    for (auto [key, value] :
         {std::pair{"invite", &fields.invite}, std::pair{"username", &fields.username},
          std::pair{"password", &fields.password}}) {
      auto text = detail::required_string(*body, key, std::string("\"…\""));
      if (!text) return tl::unexpected(text.error());
      *value = std::move(*text);
    }
    return with_clinic(
        [&](store::ClinicRecords& clinic) { return app::sign_up(clinic, fields, now_()); });
  }();
  if (!made) return error_response(made.error(), request.accept_language);
  return detail::created({{"username", made->username}, {"role", core::to_string(made->role)}});
}

Response ClinicDoorkeeper::log_in(const Request& request) {
  auto outcome = [&]() -> core::Result<app::LogInOutcome> {
    auto body = detail::body_object(request, {"username", "password"});
    if (!body) return tl::unexpected(body.error());
    app::LogInRequest fields;
    auto username = detail::required_string(*body, "username", "\"alex\"");
    if (!username) return tl::unexpected(username.error());
    auto password = detail::required_string(*body, "password", core::sentence("your password"));
    if (!password) return tl::unexpected(password.error());
    fields.username = std::move(*username);
    fields.password = std::move(*password);
    return with_clinic([&](store::ClinicRecords& clinic) {
      return app::log_in(clinic, fields, request.client.address, now_());
    });
  }();
  if (!outcome) return error_response(outcome.error(), request.accept_language);
  using Kind = app::LogInOutcome::Kind;
  if (outcome->kind == Kind::wait) {
    const auto seconds = std::to_string(outcome->retry_after.count());
    auto refused = error_response(
        http::status::too_many_requests, "too_many_attempts",
        core::sentence("Too many failed sign-ins for this account or from this address; try "
                       "again in {seconds} s.",
                       {{"seconds", seconds}}),
        request.accept_language);
    refused.headers.emplace_back("Retry-After", seconds);
    return refused;
  }
  if (outcome->kind == Kind::wrong) {
    return error_response(http::status::unauthorized, "unauthorized",
                          core::sentence("That username and password do not match; try again."),
                          request.accept_language, "password");
  }
  const auto& session = *outcome->session;
  auto response = detail::ok({{"username", session.account.username},
                              {"role", core::to_string(session.account.role)},
                              {"csrf_token", session.csrf_token}});
  for (auto& cookie : session_cookies(session.token, session.csrf_token, request.client.secure,
                                      core::kSessionLifetime)) {
    response.headers.emplace_back("Set-Cookie", std::move(cookie));
  }
  return response;
}

Response ClinicDoorkeeper::log_out(const Request& request) {
  if (auto body = detail::optional_body(request, {}); !body) {
    return error_response(body.error(), request.accept_language);
  }
  const auto token = cookie_value(request.header_list(http::field::cookie, "; "), kSessionCookie);
  auto ended = with_clinic(
      [&](store::ClinicRecords& clinic) { return app::log_out(clinic, token, now_()); });
  if (!ended) return error_response(ended.error(), request.accept_language);
  auto response = detail::ok({{"signed_out", true}});
  // The browser forgets both cookies at once.
  for (auto& cookie : session_cookies("", "", request.client.secure, std::chrono::seconds{0})) {
    response.headers.emplace_back("Set-Cookie", std::move(cookie));
  }
  return response;
}

Response ClinicDoorkeeper::post_share(const Request& request) {
  auto made = [&]() -> core::Result<store::Share> {
    auto body = detail::body_object(request, {"specialist", "scopes"});
    if (!body) return tl::unexpected(body.error());
    app::ShareRequest fields;
    auto specialist = detail::required_string(*body, "specialist", "\"sam\"");
    if (!specialist) return tl::unexpected(specialist.error());
    fields.specialist = std::move(*specialist);
    auto scopes = detail::optional_strings(*body, "scopes");
    if (!scopes) return tl::unexpected(scopes.error());
    if (!*scopes) {
      return core::invalid("scopes",
                           core::sentence("scopes is required: a list such as [\"pattern\", "
                                          "\"checkins\"]."));
    }
    fields.scopes = std::move(**scopes);
    return with_clinic([&](store::ClinicRecords& clinic) {
      return app::share_journal(clinic, *request.account, fields, now_());
    });
  }();
  if (!made) return error_response(made.error(), request.accept_language);
  return detail::created(views::share_json(*made));
}

Response ClinicDoorkeeper::list_shares(const Request& request) {
  auto shares = with_clinic(
      [&](store::ClinicRecords& clinic) { return app::list_shares(clinic, *request.account); });
  if (!shares) return error_response(shares.error(), request.accept_language);
  return detail::ok(views::shares_json(*shares));
}

Response ClinicDoorkeeper::delete_share(const Request& request) {
  if (auto body = detail::optional_body(request, {}); !body) {
    return error_response(body.error(), request.accept_language);
  }
  const auto& id = request.params.at("id");
  auto stopped = with_clinic([&](store::ClinicRecords& clinic) {
    return app::stop_sharing(clinic, *request.account, id, now_());
  });
  if (!stopped) return error_response(stopped.error(), request.accept_language);
  return detail::ok({{"id", id}, {"live", false}});
}

Response ClinicDoorkeeper::get_audit(const Request& request) {
  auto entries = with_clinic(
      [&](store::ClinicRecords& clinic) { return app::audit(clinic, *request.account); });
  if (!entries) return error_response(entries.error(), request.accept_language);
  return detail::ok(views::audit_json(*entries));
}

Response ClinicDoorkeeper::list_people(const Request& request) {
  auto people = [&]() -> core::Result<nlohmann::json> {
    if (auto allowed =
            app::require_specialist(*request.account, core::sentence("lists people who share"));
        !allowed) {
      return tl::unexpected(allowed.error());
    }
    int quiet_days = app::kDefaultQuietDays;
    if (const auto it = request.query.find("quiet_days"); it != request.query.end()) {
      auto parsed = app::parse_quiet_days(it->second);
      if (!parsed) return tl::unexpected(parsed.error());
      quiet_days = *parsed;
    }
    // The check and one audit row per person in one statement; then each journal, read for
    // its flags from what that person shares only.
    auto shared = with_clinic([&](store::ClinicRecords& clinic) {
      return clinic.open_all_shared(*request.account, request.path, now_());
    });
    if (!shared) return tl::unexpected(shared.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& person : *shared) {
      auto entry = with_journal_(store::journal_location(database_, person.journal),
                                 [&](app::Context& context) -> core::Result<nlohmann::json> {
                                   auto flags =
                                       app::person_flags(context, person.scopes, quiet_days);
                                   if (!flags) return tl::unexpected(flags.error());
                                   return views::person_json(person, *flags);
                                 });
      if (!entry) return tl::unexpected(entry.error());
      list.push_back(std::move(*entry));
    }
    return nlohmann::json{{"people", std::move(list)}, {"quiet_days", quiet_days}};
  }();
  if (!people) return error_response(people.error(), request.accept_language);
  return detail::ok(*people);
}

Response ClinicDoorkeeper::post_contact_request(const Request& request) {
  auto made = [&]() -> core::Result<store::ContactRequest> {
    auto body = detail::body_object(request, {"how", "when", "note"});
    if (!body) return tl::unexpected(body.error());
    app::ContactInput input;
    auto how = detail::required_string(*body, "how",
                                       core::sentence("\"phone\", \"message\" or \"in_person\""));
    if (!how) return tl::unexpected(how.error());
    input.how = std::move(*how);
    for (auto [key, value] : {std::pair{"when", &input.when}, std::pair{"note", &input.note}}) {
      auto text = detail::string_or_empty(*body, key);
      if (!text) return tl::unexpected(text.error());
      *value = std::move(*text);
    }
    return with_clinic([&](store::ClinicRecords& clinic) {
      return app::ask_for_contact(clinic, *request.account, input, now_());
    });
  }();
  if (!made) return error_response(made.error(), request.accept_language);
  return detail::created(views::contact_request_json(*made));
}

Response ClinicDoorkeeper::list_contact_requests(const Request& request) {
  auto requests = with_clinic([&](store::ClinicRecords& clinic) {
    return app::contact_requests(clinic, *request.account);
  });
  if (!requests) return error_response(requests.error(), request.accept_language);
  return detail::ok(views::contact_requests_json(*requests));
}

Response ClinicDoorkeeper::handle_contact_request(const Request& request) {
  if (auto body = detail::optional_body(request, {}); !body) {
    return error_response(body.error(), request.accept_language);
  }
  auto handled = with_clinic([&](store::ClinicRecords& clinic) {
    return app::mark_contact_handled(clinic, *request.account, request.params.at("id"), now_());
  });
  if (!handled) return error_response(handled.error(), request.accept_language);
  return detail::ok(views::contact_request_json(*handled));
}

Response ClinicDoorkeeper::get_me(const Request& request) {
  const auto& account = *request.account;
  return detail::ok({{"id", account.id},
                     {"username", account.username},
                     {"role", core::to_string(account.role)}});
}

Response ClinicDoorkeeper::export_me(const Request& request) {
  const auto& account = *request.account;
  auto everything = [&]() -> core::Result<nlohmann::json> {
    auto journal = with_journal_(store::journal_location(database_, account.journal),
                                 [](app::Context& context) -> core::Result<nlohmann::json> {
                                   auto text =
                                       app::export_journal(context, app::ExportFormat::json);
                                   if (!text) return tl::unexpected(text.error());
                                   return nlohmann::json::parse(*text);
                                 });
    if (!journal) return tl::unexpected(journal.error());
    return with_clinic([&](store::ClinicRecords& clinic) -> core::Result<nlohmann::json> {
      auto shares = app::list_shares(clinic, account);
      if (!shares) return tl::unexpected(shares.error());
      auto audit = app::audit(clinic, account);
      if (!audit) return tl::unexpected(audit.error());
      auto requests = app::contact_requests(clinic, account);
      if (!requests) return tl::unexpected(requests.error());
      // A specialist's or an admin's "requests" are everyone's queue: theirs are none.
      if (account.role != core::Role::person) requests->clear();
      return nlohmann::json{
          {"account",
           {{"username", account.username},
            {"role", core::to_string(account.role)},
            {"created_at", core::format_utc(account.created_at)}}},
          {"journal", std::move(*journal)},
          {"shares", views::shares_json(*shares)["shares"]},
          {"audit", views::audit_json(*audit)["entries"]},
          {"contact_requests", views::contact_requests_json(*requests)["requests"]}};
    });
  }();
  if (!everything) return error_response(everything.error(), request.accept_language);
  auto response = detail::ok(*everything);
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"mitra-account.json\"");
  return response;
}

Response ClinicDoorkeeper::delete_me(const Request& request) {
  auto deleted = [&]() -> core::Result<void> {
    auto body = detail::body_object(request, {"password"});
    if (!body) return tl::unexpected(body.error());
    auto password = detail::required_string(*body, "password", core::sentence("your password"));
    if (!password) return tl::unexpected(password.error());
    return with_clinic([&](store::ClinicRecords& clinic) {
      return app::delete_account(clinic, *request.account, *password);
    });
  }();
  if (!deleted) return error_response(deleted.error(), request.accept_language);
  auto response = detail::ok({{"deleted", true}});
  for (auto& cookie : session_cookies("", "", request.client.secure, std::chrono::seconds{0})) {
    response.headers.emplace_back("Set-Cookie", std::move(cookie));
  }
  return response;
}

}  // namespace mitra::server
