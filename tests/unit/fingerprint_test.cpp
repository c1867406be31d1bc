// An idempotency key's request fingerprint (app::request_fingerprint) is kept with the key: a
// request sent again, after an upgrade too, must give the same text byte for byte, or it is
// refused as the key reused with other content. Written by hand since this version; held here
// to nlohmann::json::dump() of the value earlier versions built, over many random requests.

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/journal.hpp"
#include "core/amount.hpp"
#include "core/text.hpp"

namespace mitra::app {
namespace {

// The fingerprint as earlier versions built it.
std::string dumped_fingerprint(const DoseInput& input) {
  nlohmann::json j;
  j["record"] = "dose";
  if (auto amount = core::parse_amount(input.amount)) {
    j["amount"] = {amount->micro, core::to_string(amount->unit)};
  } else {
    j["amount"] = input.amount;
  }
  j["at"] = std::string(core::trim(input.at));
  j["form"] = std::string(core::trim(input.form));
  j["product"] = std::string(core::trim(input.product));
  j["note"] = input.note;
  j["triggers"] = input.triggers;
  return j.dump();
}

// Text from pieces a person might type: plain words, spaces at the ends, quotes and
// backslashes, control characters, accents and other UTF-8.
std::string random_text(std::mt19937& random) {
  static const std::vector<std::string> pieces = {"2.5g",
                                                  "3 caps",
                                                  "now",
                                                  "10 min ago",
                                                  " ",
                                                  "\t",
                                                  "\"",
                                                  "\\",
                                                  "\n",
                                                  "\r",
                                                  "\b",
                                                  "\f",
                                                  std::string(1, '\x01'),
                                                  std::string(1, '\x1f'),
                                                  "\x7f",
                                                  "é",
                                                  "ñ",
                                                  "😀",
                                                  "Ω",
                                                  "green",
                                                  "red vein",
                                                  "2,5 g",
                                                  "",
                                                  "x"};
  std::uniform_int_distribution<std::size_t> count(0, 6);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::string text;
  for (std::size_t i = count(random); i > 0; --i) text += pieces[pick(random)];
  return text;
}

TEST(RequestFingerprint, IsByteForByteWhatEarlierVersionsStored) {
  std::mt19937 random(20261203);
  const std::vector<std::string> amounts = {"2.5g", "2.5 g", "3 caps", "1 tsp", "0.75g",
                                            "2",    "",      "lots",   "1e3 g"};
  std::uniform_int_distribution<std::size_t> amount(0, amounts.size() - 1);
  std::uniform_int_distribution<int> coin(0, 1);
  for (int i = 0; i < 3000; ++i) {
    DoseInput input;
    input.amount = coin(random) ? amounts[amount(random)] : random_text(random);
    input.at = random_text(random);
    input.form = random_text(random);
    input.product = random_text(random);
    input.note = random_text(random);
    for (int t = coin(random) + coin(random); t > 0; --t)
      input.triggers.push_back(random_text(random));
    ASSERT_EQ(request_fingerprint(input), dumped_fingerprint(input))
        << "amount " << input.amount << ", note " << input.note;
  }
}

}  // namespace
}  // namespace mitra::app
