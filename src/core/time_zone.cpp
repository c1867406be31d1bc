#include "core/time_zone.hpp"

#include <algorithm>
#include <limits>
#include <optional>

namespace mitra::core {

namespace {

using std::chrono::seconds;

// The ends of time as the date library spelled them, so that spans read the same as before.
const std::int64_t kMin =
    std::chrono::sys_seconds{date::sys_days{date::year::min() / date::January / 1}}
        .time_since_epoch()
        .count();
const std::int64_t kMax =
    std::chrono::sys_seconds{date::sys_days{date::year::max() / date::December / 31}}
        .time_since_epoch()
        .count();

// The changes a closing rule makes are worked out once, at reading, up to this year; later
// instants work them out when asked.
constexpr int kTableLastYear = 2100;
// The most a wall-clock time may differ from UTC, with room to spare (RFC 8536 allows
// -25 h to +26 h).
constexpr std::int64_t kReach = 2 * 86400;

using Unexpected = tl::unexpected<std::string>;

// Reads a TZif file front to back; every read is checked against the bytes left.
class Bytes {
 public:
  explicit Bytes(std::string_view bytes) : bytes_(bytes) {}
  bool has(std::uint64_t n) const { return bytes_.size() - pos_ >= n; }
  std::string_view take(std::size_t n) {
    const auto out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  // A big-endian two's-complement integer of `n` bytes (4 or 8).
  std::int64_t integer(std::size_t n) {
    std::uint64_t value = 0;
    for (const char c : take(n)) value = value << 8 | static_cast<unsigned char>(c);
    if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
    return static_cast<std::int64_t>(value);
  }
  std::string_view rest() const { return bytes_.substr(pos_); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct Header {
  char version = 0;
  std::uint64_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

tl::expected<Header, std::string> read_header(Bytes& in) {
  if (!in.has(44)) return Unexpected("shorter than a TZif header");
  if (in.take(4) != "TZif") return Unexpected("not a TZif file");
  Header h;
  h.version = in.take(1)[0];
  if (h.version != 0 && (h.version < '2' || h.version > '4')) {
    return Unexpected("TZif version not known");
  }
  in.take(15);
  h.isut = static_cast<std::uint32_t>(in.integer(4));
  h.isstd = static_cast<std::uint32_t>(in.integer(4));
  h.leap = static_cast<std::uint32_t>(in.integer(4));
  h.time = static_cast<std::uint32_t>(in.integer(4));
  h.type = static_cast<std::uint32_t>(in.integer(4));
  h.chars = static_cast<std::uint32_t>(in.integer(4));
  return h;
}

std::uint64_t block_size(const Header& h, std::uint64_t time_size) {
  return h.time * time_size + h.time + h.type * 6 + h.chars + h.leap * (time_size + 4) + h.isstd +
         h.isut;
}

struct Block {
  std::vector<std::int64_t> times;
  std::vector<std::uint16_t> indexes;
  std::vector<TimeZone::Type> types;
};

tl::expected<Block, std::string> read_block(Bytes& in, const Header& h, std::size_t time_size) {
  if (h.type < 1 || h.type > 256) return Unexpected("the count of time types is out of range");
  if (h.chars < 1) return Unexpected("no abbreviations");
  if (h.leap != 0) return Unexpected("leap-second records (a \"right/\" zone) are not supported");
  if ((h.isstd != 0 && h.isstd != h.type) || (h.isut != 0 && h.isut != h.type)) {
    return Unexpected("the standard/UT indicator counts do not match the time types");
  }
  if (h.time > 1'000'000) return Unexpected("too many transitions");
  if (!in.has(block_size(h, time_size))) return Unexpected("the data is cut short");
  Block block;
  block.times.reserve(h.time);
  for (std::uint64_t i = 0; i < h.time; ++i) {
    block.times.push_back(in.integer(time_size));
    if (i > 0 && block.times[i] <= block.times[i - 1]) {
      return Unexpected("transition times are not in ascending order");
    }
  }
  for (std::uint64_t i = 0; i < h.time; ++i) {
    const auto index = static_cast<unsigned char>(in.take(1)[0]);
    if (index >= h.type) return Unexpected("a transition names a time type that is not there");
    block.indexes.push_back(index);
  }
  struct Raw {
    std::int32_t offset;
    bool dst;
    std::size_t abbrev;
  };
  std::vector<Raw> raw;
  for (std::uint64_t i = 0; i < h.type; ++i) {
    const auto offset = in.integer(4);
    const auto dst = static_cast<unsigned char>(in.take(1)[0]);
    const auto abbrev = static_cast<unsigned char>(in.take(1)[0]);
    if (offset < -89999 || offset > 93599) return Unexpected("a UTC offset is out of range");
    if (dst > 1) return Unexpected("a daylight-saving indicator is neither 0 nor 1");
    if (abbrev >= h.chars) return Unexpected("an abbreviation index is out of range");
    raw.push_back({static_cast<std::int32_t>(offset), dst == 1, abbrev});
  }
  const std::string_view chars = in.take(h.chars);
  for (const auto& r : raw) {
    const auto end = chars.find('\0', r.abbrev);
    if (end == std::string_view::npos) return Unexpected("an abbreviation is not terminated");
    block.types.push_back({r.offset, r.dst, std::string(chars.substr(r.abbrev, end - r.abbrev))});
  }
  in.take(h.leap * (time_size + 4) + h.isstd + h.isut);
  return block;
}

// The POSIX TZ string that closes a TZif file of version 2 or later, "CET-1CEST,M3.5.0,M10.5.0/3"
// (RFC 8536, section 3.3, with its extension of rule times to -167..167 hours).
class Posix {
 public:
  explicit Posix(std::string_view text) : s_(text) {}

  struct Parsed {
    TimeZone::Type standard;
    std::optional<TimeZone::Type> daylight;
    TimeZone::RuleDay start, end;
  };

  std::optional<Parsed> parse() {
    Parsed out;
    std::int32_t west = 0;
    if (!name(out.standard.abbrev) || !clock(west, 24)) return std::nullopt;
    out.standard.offset = -west;
    if (done()) return out;
    TimeZone::Type daylight{out.standard.offset + 3600, true, {}};
    if (!name(daylight.abbrev)) return std::nullopt;
    if (!done() && s_[p_] != ',') {
      if (!clock(west, 24)) return std::nullopt;
      daylight.offset = -west;
    }
    out.daylight = daylight;
    // A zone with daylight-saving time and no rule for it: TZif files always give one.
    if (!eat(',') || !day(out.start) || !eat(',') || !day(out.end) || !done()) return std::nullopt;
    return out;
  }

 private:
  bool done() const { return p_ == s_.size(); }
  bool eat(char c) {
    if (done() || s_[p_] != c) return false;
    ++p_;
    return true;
  }
  static bool alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
  static bool digit(char c) { return c >= '0' && c <= '9'; }

  bool name(std::string& out) {
    if (eat('<')) {
      const auto close = s_.find('>', p_);
      if (close == std::string_view::npos) return false;
      out = std::string(s_.substr(p_, close - p_));
      p_ = close + 1;
      for (const char c : out) {
        if (!alpha(c) && !digit(c) && c != '+' && c != '-') return false;
      }
      return out.size() >= 3;
    }
    const auto begin = p_;
    while (!done() && alpha(s_[p_])) ++p_;
    out = std::string(s_.substr(begin, p_ - begin));
    return out.size() >= 3;
  }

  bool number(int& out, std::size_t max_digits) {
    const auto begin = p_;
    out = 0;
    while (!done() && digit(s_[p_]) && p_ - begin < max_digits) out = out * 10 + (s_[p_++] - '0');
    return p_ > begin;
  }

  // [+-]hh[:mm[:ss]], the hours at most `max_hours`.
  bool clock(std::int32_t& out, int max_hours) {
    int sign = 1;
    if (eat('-')) {
      sign = -1;
    } else {
      eat('+');
    }
    int hours = 0, minutes = 0, secs = 0;
    if (!number(hours, 3) || hours > max_hours) return false;
    if (eat(':')) {
      if (!number(minutes, 2) || minutes > 59) return false;
      if (eat(':') && (!number(secs, 2) || secs > 59)) return false;
    }
    out = sign * (hours * 3600 + minutes * 60 + secs);
    return true;
  }

  bool day(TimeZone::RuleDay& out) {
    if (eat('J')) {
      out.kind = 'J';
      if (!number(out.number, 3) || out.number < 1 || out.number > 365) return false;
    } else if (eat('M')) {
      out.kind = 'M';
      if (!number(out.month, 2) || out.month < 1 || out.month > 12 || !eat('.') ||
          !number(out.week, 1) || out.week < 1 || out.week > 5 || !eat('.') ||
          !number(out.weekday, 1) || out.weekday > 6) {
        return false;
      }
    } else {
      out.kind = 'n';
      if (!number(out.number, 3) || out.number > 365) return false;
    }
    out.time = 7200;
    return !eat('/') || clock(out.time, 167);
  }

  std::string_view s_;
  std::size_t p_ = 0;
};

int year_of(std::int64_t t) {
  t = std::clamp(t, kMin, kMax);
  const date::sys_days day{date::days{t >= 0 ? t / 86400 : (t - 86399) / 86400}};
  return std::clamp(static_cast<int>(date::year_month_day{day}.year()), -32000, 32000);
}

// Days since 1970 of the rule's day in `year`.
std::int64_t rule_day(const TimeZone::RuleDay& rule, int year) {
  const date::year y{year};
  const date::sys_days january_first{y / date::January / 1};
  date::sys_days day;
  switch (rule.kind) {
    case 'J':
      day = january_first + date::days{rule.number - 1 + (y.is_leap() && rule.number >= 60)};
      break;
    case 'n':
      day = january_first + date::days{rule.number};
      break;
    default: {
      const date::month month{static_cast<unsigned>(rule.month)};
      const date::weekday weekday{static_cast<unsigned>(rule.weekday)};
      day = rule.week == 5 ? date::sys_days{y / month / weekday[date::last]}
                           : date::sys_days{y / month / weekday[static_cast<unsigned>(rule.week)]};
    }
  }
  return day.time_since_epoch().count();
}

}  // namespace

bool TimeZone::same_type(std::uint16_t a, std::uint16_t b) const {
  const Type& x = types_[a];
  const Type& y = types_[b];
  return x.offset == y.offset && x.dst == y.dst && x.abbrev == y.abbrev;
}

void TimeZone::push_change(std::vector<Change>& changes, Change change) const {
  if (!changes.empty() && changes.back().at == change.at) changes.pop_back();
  const std::uint16_t before = changes.empty() ? initial_ : changes.back().type;
  if (!same_type(before, change.type)) changes.push_back(change);
}

std::vector<TimeZone::Change> TimeZone::yearly_changes(int first, int last) const {
  std::vector<Change> out;
  for (int year = first; year <= last; ++year) {
    const Change start{
        rule_day(rule_.start, year) * 86400 + rule_.start.time - types_[rule_.standard].offset,
        rule_.daylight};
    const Change end{
        rule_day(rule_.end, year) * 86400 + rule_.end.time - types_[rule_.daylight].offset,
        rule_.standard};
    // In the year's order; a change to daylight time and back at the same instant leaves
    // standard time.
    if (end.at < start.at) {
      out.push_back(end);
      out.push_back(start);
    } else {
      out.push_back(start);
      out.push_back(end);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Change& a, const Change& b) { return a.at < b.at; });
  return out;
}

tl::expected<TimeZone, std::string> TimeZone::from_tzif(std::string name, std::string_view bytes) {
  Bytes in(bytes);
  auto header = read_header(in);
  if (!header) return Unexpected(header.error());
  const bool version_1 = header->version == 0;
  if (!version_1) {
    // The version-1 block, with 32-bit times, is followed by a second header and the same data
    // with 64-bit times: read that.
    if (!in.has(block_size(*header, 4))) return Unexpected("the data is cut short");
    in.take(block_size(*header, 4));
    header = read_header(in);
    if (!header) return Unexpected(header.error());
  }
  auto block = read_block(in, *header, version_1 ? 4 : 8);
  if (!block) return Unexpected(block.error());

  TimeZone zone;
  zone.name_ = std::move(name);
  zone.types_ = std::move(block->types);
  for (std::size_t i = 0; i < block->times.size(); ++i) {
    if (block->times[i] <= kMin) {
      zone.initial_ = block->indexes[i];  // A "big bang" transition, before time as we know it.
      continue;
    }
    zone.push_change(zone.changes_, Change{block->times[i], block->indexes[i]});
  }

  if (version_1) return zone;
  // The footer: "\n" TZ-string "\n".
  const auto rest = in.rest();
  if (rest.empty() || rest[0] != '\n') return Unexpected("the closing rule is missing");
  const auto close = rest.find('\n', 1);
  if (close == std::string_view::npos) return Unexpected("the closing rule is not terminated");
  const auto text = rest.substr(1, close - 1);
  if (text.empty()) return zone;  // No rule: the last type holds for ever.
  auto parsed = Posix(text).parse();
  if (!parsed) return Unexpected("the closing rule \"" + std::string(text) + "\" is not valid");
  if (zone.types_.size() + 2 > std::numeric_limits<std::uint16_t>::max()) {
    return Unexpected("too many time types");
  }
  const auto standard = static_cast<std::uint16_t>(zone.types_.size());
  zone.types_.push_back(parsed->standard);
  // Without transitions the rule holds for all time; otherwise from the last one on.
  const bool no_changes = block->times.empty();
  if (no_changes) zone.initial_ = standard;
  if (!parsed->daylight) return zone;  // Standard time from the last change on, as it was.

  zone.types_.push_back(*parsed->daylight);
  zone.rule_ = Rule{standard, static_cast<std::uint16_t>(standard + 1), parsed->start, parsed->end};
  zone.has_rule_ = true;
  // The rule's changes up to kTableLastYear join the file's own, so that nearly every instant
  // is found by a binary search.
  // (From 1800 at the earliest: no zone's rule is older.)
  const std::int64_t last = no_changes ? kMin : block->times.back();
  const int first_year = std::max(1800, no_changes ? 1800 : year_of(last));
  for (const Change& change : zone.rule_changes(first_year, kTableLastYear)) {
    if (change.at > last) zone.push_change(zone.changes_, change);
  }
  return zone;
}

std::vector<TimeZone::Change> TimeZone::rule_changes(int first, int last) const {
  // One year more than asked, and then only the changes before it begins: a year's last
  // change may be undone at the instant the next year's first one happens (daylight time all
  // year), and only the next year tells.
  std::vector<Change> changes = yearly_changes(first, last + 1);
  const std::int64_t cutoff =
      std::chrono::sys_seconds{date::sys_days{date::year{last + 1} / date::January / 1}}
          .time_since_epoch()
          .count();
  std::vector<Change> out;
  for (const Change& change : changes) {
    if (change.at >= cutoff) break;
    out.push_back(change);
  }
  return out;
}

TimeZone TimeZone::fixed(std::string name, std::chrono::seconds offset, std::string abbrev) {
  TimeZone zone;
  zone.name_ = std::move(name);
  zone.types_.push_back(Type{static_cast<std::int32_t>(offset.count()), false, std::move(abbrev)});
  return zone;
}

TimeZone::Span TimeZone::rule_span(std::int64_t t) const {
  std::vector<Change> changes;
  if (!changes_.empty()) changes.push_back(changes_.back());
  const std::int64_t floor = changes_.empty() ? kMin : changes_.back().at;
  const int year = year_of(t);
  for (const Change& change : rule_changes(year - 1, year + 2)) {
    if (change.at > floor) push_change(changes, change);
  }
  const auto after = std::upper_bound(changes.begin(), changes.end(), t,
                                      [](std::int64_t x, const Change& c) { return x < c.at; });
  if (after == changes.begin()) {
    return Span{kMin, after == changes.end() ? kMax : after->at, initial_};
  }
  const auto at = after - 1;
  return Span{at->at, after == changes.end() ? kMax : after->at, at->type};
}

TimeZone::Span TimeZone::span_at(std::int64_t t) const {
  if (changes_.empty()) return has_rule_ ? rule_span(t) : Span{kMin, kMax, initial_};
  if (t < changes_.front().at) return Span{kMin, changes_.front().at, initial_};
  const auto after = std::upper_bound(changes_.begin(), changes_.end(), t,
                                      [](std::int64_t x, const Change& c) { return x < c.at; });
  const auto at = after - 1;
  if (after != changes_.end()) return Span{at->at, after->at, at->type};
  return has_rule_ ? rule_span(t) : Span{at->at, kMax, at->type};
}

ZoneInfo TimeZone::info(const Span& span) const {
  const Type& type = types_[span.type];
  return ZoneInfo{std::chrono::sys_seconds{seconds{span.begin}},
                  std::chrono::sys_seconds{seconds{span.end}}, seconds{type.offset}, type.dst,
                  type.abbrev};
}

ZoneInfo TimeZone::get_info(std::chrono::sys_seconds t) const {
  return info(span_at(t.time_since_epoch().count()));
}

seconds TimeZone::offset(std::chrono::sys_seconds t) const {
  return seconds{types_[span_at(t.time_since_epoch().count()).type].offset};
}

LocalInfo TimeZone::get_info(date::local_seconds t) const {
  const std::int64_t wall =
      std::clamp<std::int64_t>(t.time_since_epoch().count(), kMin + kReach, kMax - kReach);
  LocalInfo out;
  int found = 0;
  std::optional<Span> before_gap, after_gap, previous;
  // Every span within reach of the wall time, in order: those it falls in, or the two around
  // the gap it falls into.
  Span span = span_at(wall - kReach);
  while (true) {
    const std::int64_t utc = wall - types_[span.type].offset;
    if (span.begin <= utc && utc < span.end) {
      (found == 0 ? out.first : out.second) = info(span);
      if (++found == 2) break;
    } else if (previous && !before_gap && wall - types_[previous->type].offset >= previous->end &&
               utc < span.begin) {
      before_gap = previous;
      after_gap = span;
    }
    if (span.end >= kMax || span.end > wall + kReach) break;
    previous = span;
    span = span_at(span.end);
  }
  if (found == 2) {
    out.result = LocalInfo::ambiguous;
  } else if (found == 0 && before_gap) {
    out.result = LocalInfo::nonexistent;
    out.first = info(*before_gap);
    out.second = info(*after_gap);
  } else if (found == 0) {
    out.first = info(span_at(wall));  // Not reached with offsets of at most a day.
  }
  return out;
}

std::chrono::sys_seconds TimeZone::to_sys(date::local_seconds t, Choose choose) const {
  const LocalInfo info = get_info(t);
  switch (info.result) {
    case LocalInfo::ambiguous:
      if (choose == Choose::latest) {
        return std::chrono::sys_seconds{t.time_since_epoch() - info.second.offset};
      }
      break;
    case LocalInfo::nonexistent:
      return info.first.end;
    default:
      break;
  }
  return std::chrono::sys_seconds{t.time_since_epoch() - info.first.offset};
}

}  // namespace mitra::core
