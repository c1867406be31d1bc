#include "formats/report_html.hpp"

#include <sodium.h>

#include <array>
#include <string>

namespace mitra::formats {

namespace {

using nlohmann::json;

// Small type and tight tables: the whole report fits on one or two A4 or Letter pages. No
// @page size: the page follows the printer's paper, A4 or Letter.
constexpr std::string_view kStyle =
    "@page{margin:12mm}"
    "body{font:9.5pt/1.35 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#111;margin:0 auto;max-width:190mm;padding:8px}"
    "h1{font-size:15pt;margin:0 0 2px}h2{font-size:11pt;margin:10px 0 3px;"
    "border-bottom:1px solid #999;break-after:avoid}h3{font-size:9.5pt;margin:6px 0 2px}"
    "p{margin:2px 0}ul{margin:2px 0;padding-left:16px}"
    "table{border-collapse:collapse;margin:2px 0 4px;break-inside:avoid}"
    "th,td{border:1px solid #bbb;padding:1px 5px;text-align:left;vertical-align:top}"
    "th{background:#eee}td.n{text-align:right}"
    ".meta,.src,.refs{color:#444}.src{font-size:8pt}.refs{font-size:7.5pt}"
    ".urgent{font-weight:bold}.none{color:#555;font-style:italic}"
    "section{break-inside:avoid-page}"
    "footer{margin-top:8px;border-top:1px solid #999;padding-top:3px;font-size:8.5pt}";

// The member `key` of `object`, or null: a document read here is never changed, and a const
// json's operator[] asserts on a missing key.
const json& at(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string text_of(const json& value) {
  if (value.is_null()) return "–";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  if (value.is_number_float()) {
    std::string s = value.dump();
    if (const auto dot = s.find('.'); dot != std::string::npos) {
      while (!s.empty() && s.back() == '0') s.pop_back();
      if (!s.empty() && s.back() == '.') s.pop_back();
    }
    return s;
  }
  return value.dump();
}

// The value at `key` of `object` as text; "–" when absent or null.
std::string field(const json& object, const char* key) {
  if (!object.is_object()) return "–";
  const auto it = object.find(key);
  return it == object.end() ? "–" : text_of(*it);
}

std::string e(const json& value) { return escape_html(text_of(value)); }
std::string f(const json& object, const char* key) { return escape_html(field(object, key)); }

// "3.33 g": the amount a day and its unit; "–" when there is none (no day logged, or forms of
// different strength, which the "By form" line tells apart).
std::string amount(const json& object) {
  if (at(object, "amount_per_day").is_null()) return "–";
  return f(object, "amount_per_day") + " " + f(object, "unit");
}

std::string sources_of(const json& keys) {
  if (!keys.is_array() || keys.empty()) return {};
  std::string out = " <span class=\"src\">[";
  for (std::size_t i = 0; i < keys.size(); ++i) out += (i ? ", " : "") + e(keys[i]);
  return out + "]</span>";
}

// {"text","sources"} as a paragraph.
std::string statement(const json& s) {
  if (!s.is_object()) return {};
  return "<p>" + f(s, "text") + sources_of(s.value("sources", json::array())) + "</p>\n";
}

std::string not_shared(const char* what) {
  return std::string("<p class=\"none\">") + what + ": not shared with this reader.</p>\n";
}

std::string trend_line(const char* name, const json& trend, const char* unit) {
  if (!trend.is_object() || !trend.value("enough_data", false)) {
    return std::string("<li>") + name + ": not enough days yet</li>";
  }
  const double per_week = trend.value("per_week", 0.0);
  std::string sign = per_week > 0 ? "+" : "";
  return std::string("<li>") + name + ": " + sign + escape_html(text_of(at(trend, "per_week"))) +
         " " + unit + " per week" +
         (trend.value("concerning", false) ? " <b>(a warning sign)</b>" : "") + "</li>";
}

std::string pattern_section(const json& p) {
  std::string out = "<section><h2>Pattern and trend</h2>\n";
  if (p.is_null()) return out + not_shared("The pattern") + "</section>\n";
  out += "<p>" + f(p, "dose_count") + " doses on " + f(p, "days_with_doses") + " of the " +
         f(p, "tracked_days") + " days logged: <b>" + f(p, "doses_per_day") +
         " doses a day</b> on average (at most " + f(p, "max_doses_in_a_day") +
         " in a day); median interval " + f(p, "median_interval_hours") + " h (shortest " +
         f(p, "shortest_interval_hours") + " h); amount " + amount(p) + " a day; night doses " +
         f(p, "night_doses") + "; first dose of the day around " + f(p, "median_first_dose") +
         ".</p>\n";
  const auto& forms = at(p, "amounts_by_form");
  if (forms.is_array() && forms.size() > 1) {
    out += "<p>By form (never added together):";
    for (const auto& form : forms) {
      out += " " + f(form, "form") + " " + f(form, "amount") + " " + f(form, "unit") + " in " +
             f(form, "doses") + " doses;";
    }
    out += "</p>\n";
  }
  out +=
      "<table><tr><th>Week</th><th>Days logged</th><th>Doses</th><th>Doses a day</th>"
      "<th>Median interval (h)</th><th>Amount a day</th></tr>\n";
  for (const auto& w : at(p, "weeks")) {
    out += "<tr><td>" + f(w, "from") + " – " + f(w, "to") + "</td><td class=\"n\">" +
           f(w, "tracked_days") + "</td><td class=\"n\">" + f(w, "doses") +
           "</td><td class=\"n\">" + f(w, "doses_per_day") + "</td><td class=\"n\">" +
           f(w, "median_interval_hours") + "</td><td class=\"n\">" + amount(w) + "</td></tr>\n";
  }
  out += "</table>\n<ul>";
  const auto& trends = at(p, "trends");
  out += trend_line("Doses a day", at(trends, "frequency"), "a day");
  out += trend_line("Interval between doses", at(trends, "interval"), "h");
  out += trend_line("Amount a day", at(trends, "amount"), "g");
  out += trend_line("First dose of the day", at(trends, "first_dose"), "min");
  out += "</ul>\n" + statement(at(p, "statement"));
  return out + "</section>\n";
}

std::string journal_section(const json& j) {
  std::string out = "<section><h2>Last dose and other substances</h2>\n";
  if (j.is_null()) return out + not_shared("The journal") + "</section>\n";
  if (at(j, "last_dose_at").is_null()) {
    out += "<p>No dose logged.</p>\n";
  } else {
    out += "<p>Last dose " + f(j, "last_dose_at_local") + " (" + f(j, "hours_since_last_dose") +
           " h before this report).</p>\n";
    out += statement(at(j, "phase_statement"));
  }
  const auto& uses = at(j, "other_substances");
  if (!uses.is_array() || uses.empty()) {
    out += "<p>Other substances logged in the period: none.</p>\n";
  } else {
    out += "<p>Other substances logged in the period:";
    for (std::size_t i = 0; i < uses.size(); ++i) {
      out += std::string(i ? ";" : "") + " " + f(uses[i], "substance") + " " +
             f(uses[i], "taken_at_local");
    }
    out += ".</p>\n";
  }
  return out + "</section>\n";
}

std::string instruments_section(const json& groups, bool reflections) {
  std::string out = reflections ? "<section><h2>Self-reflection (self-report, not a "
                                  "diagnosis)</h2>\n"
                                : "<section><h2>Check-ins</h2>\n";
  if (groups.is_null()) {
    return out + not_shared(reflections ? "Self-reflections" : "Check-ins") + "</section>\n";
  }
  if (groups.empty()) {
    return out + "<p class=\"none\">None in the period.</p></section>\n";
  }
  for (const auto& g : groups) {
    out += "<h3>" + f(g, "name") + " (total 0–" + f(g, "max_total") + "; " + f(g, "count") +
           " in the period" +
           (at(g, "change").is_null() ? std::string() : ", latest change " + f(g, "change")) +
           ")</h3>\n";
    if (reflections) {
      out += "<ul>";
      for (const auto& entry : at(g, "entries")) {
        out += "<li>" + f(entry, "taken_at_local") + ": " + f(entry, "text") + "</li>";
      }
      out += "</ul>\n";
    } else {
      out += "<table><tr><th>When</th><th>Total</th><th>Band</th></tr>\n";
      for (const auto& entry : at(g, "entries")) {
        std::string band = field(entry, "band");
        if (entry.contains("items")) {
          band.clear();
          for (const auto& [item, score] : at(entry, "items").items()) {
            band += (band.empty() ? "" : ", ") + item + " " + text_of(score);
          }
        } else if (!at(entry, "band_label").is_null()) {
          band += " (" + field(entry, "band_label") + ")";
        }
        out += "<tr><td>" + f(entry, "taken_at_local") + "</td><td class=\"n\">" +
               f(entry, "total") + "</td><td>" + escape_html(band) + "</td></tr>\n";
      }
      out += "</table>\n";
    }
    out += statement(at(g, "latest"));
  }
  return out + "</section>\n";
}

std::string plan_section(const json& p) {
  std::string out = "<section><h2>Taper plan and plan versus actual</h2>\n";
  if (p.is_null()) return out + not_shared("The plan") + "</section>\n";
  if (at(p, "plan_id").is_null()) return out + "<p class=\"none\">No plan made.</p></section>\n";
  out += "<p>Goal " + f(p, "goal") + ", pace " + f(p, "pace") + ", " + f(p, "steps") +
         " steps from " + f(p, "starts_on") + " to " + f(p, "ends_on") + " (version " +
         f(p, "version") + (p.value("held", false) ? "; on hold" : "") + ").";
  const auto& step = at(p, "step");
  if (step.is_object()) {
    out += " Today's step: " + f(step, "doses_per_day") + " doses a day, " +
           f(step, "amount_per_dose") + " each, " + f(step, "daily_total") + " in total.";
  }
  out +=
      "</p>\n<table><tr><th>Day</th><th>Planned</th><th>Logged</th><th>Over "
      "plan</th></tr>\n";
  for (const auto& day : at(p, "days")) {
    if (!day.value("in_plan", false)) continue;
    out += "<tr><td>" + f(day, "day") + "</td><td>" + f(day, "planned_doses") + " doses, " +
           f(day, "planned_amount") + "</td><td>" + f(day, "actual_doses") + " doses, " +
           f(day, "actual_amount") + "</td><td>" + f(day, "over_plan") + "</td></tr>\n";
  }
  out += "</table>\n<p>" + f(p, "days_over_plan") + " of " + f(p, "days_in_plan") +
         " planned days in the last week went over the plan.</p>\n" + statement(at(p, "statement"));
  return out + "</section>\n";
}

std::string advisories_section(const json& advisories) {
  std::string out = "<section><h2>Safety advisories</h2>\n";
  if (advisories.is_null()) return out + not_shared("Safety advisories") + "</section>\n";
  if (advisories.empty()) return out + "<p class=\"none\">None apply.</p></section>\n";
  out += "<ul>";
  for (const auto& a : advisories) {
    const bool urgent = a.value("level", "") == "urgent";
    out += std::string("<li") + (urgent ? " class=\"urgent\"" : "") + ">" +
           escape_html(field(a, "level")) + ": " + f(a, "message") +
           sources_of(a.value("sources", json::array())) + "</li>";
  }
  return out + "</ul></section>\n";
}

std::string help_section(const json& help) {
  std::string out = "<section><h2>Crisis lines and help</h2>\n<ul>";
  for (const auto& r : help) {
    out += "<li><b>" + f(r, "name") + "</b>: " + f(r, "contact") + " (" + f(r, "hours") + ")" +
           sources_of(r.value("sources", json::array())) + "</li>";
  }
  return out + "</ul></section>\n";
}

std::string references_section(const json& references) {
  if (!references.is_object() || references.empty()) return {};
  std::string out = "<p class=\"refs\"><b>Sources.</b>";
  for (const auto& [key, r] : references.items()) {
    out += " [" + escape_html(key) + "] " + f(r, "title") + ", " + f(r, "outlet") + ".";
  }
  return out + "</p>\n";
}

std::string style_hash() {
  // BLAKE2b and SHA-256 work before sodium_init too; it only picks faster code.
  if (sodium_init() < 0) {
    // Nothing to do: the hash below is the same either way.
  }
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(kStyle.data()),
                     kStyle.size());
  std::string out(sodium_base64_ENCODED_LEN(digest.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), digest.data(), digest.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return out;
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const std::string& report_content_security_policy() {
  static const std::string kPolicy = "default-src 'none'; style-src 'sha256-" + style_hash() +
                                     "'; base-uri 'none'; form-action 'none'; "
                                     "frame-ancestors 'none'";
  return kPolicy;
}

std::string report_html(const json& d) {
  std::string out;
  out.reserve(16384);
  out +=
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  // The title is what a tab, a print header and a file list show: discreet, no product name.
  out += f(d, "title") + " " + f(d, "from") + " to " + f(d, "to");
  out += "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<header><h1>" + f(d, "title") + "</h1>\n";
  out += "<p class=\"meta\">Period " + f(d, "from") + " to " + f(d, "to") + " (" + f(d, "days") +
         " days, time zone " + f(d, "zone") + "). Made " + f(d, "generated_at_local") +
         ". Shared parts:";
  const auto& scopes = at(d, "scopes");
  for (std::size_t i = 0; i < scopes.size(); ++i)
    out += std::string(i ? "," : "") + " " + e(scopes[i]);
  out += ".</p>\n</header>\n<main>\n";
  out += pattern_section(at(d, "pattern"));
  out += journal_section(at(d, "journal"));
  out += instruments_section(at(d, "checkins"), false);
  out += instruments_section(at(d, "reflections"), true);
  out += plan_section(at(d, "plan"));
  out += advisories_section(at(d, "advisories"));
  out += help_section(at(d, "help"));
  out += "</main>\n<footer>\n<p>" + f(d, "disclaimer") + "</p>\n";
  out += references_section(at(d, "references"));
  out += "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace mitra::formats
