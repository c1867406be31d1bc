// Encrypted backups and exports: what is sealed opens with its passphrase and nothing else, and
// any change to the file is refused before anything is returned.

#include "formats/sealed.hpp"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace mitra::testing {
namespace {

using formats::SealedKind;

constexpr const char* kPassphrase = "correct horse battery staple";

std::string sample(std::size_t size) {
  std::string text(size, '\0');
  std::mt19937 random(7);
  for (auto& c : text) c = static_cast<char>(random() & 0xFF);
  return text;
}

std::string sealed(const std::string& content, SealedKind kind = SealedKind::backup) {
  auto out = formats::seal(content, kPassphrase, kind, formats::minimal_strength());
  EXPECT_TRUE(out) << out.error().message;
  return out.value_or("");
}

TEST(Sealed, OpensWithItsPassphraseAtEverySizeAroundAChunk) {
  for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{65535},
                                 std::size_t{65536}, std::size_t{65537}, std::size_t{200000}}) {
    const auto content = sample(size);
    const auto file = sealed(content, SealedKind::json_export);
    EXPECT_TRUE(formats::looks_sealed(file));
    if (size >= 64) {
      EXPECT_EQ(file.find(content.substr(0, 64)), std::string::npos) << size;
    }
    const auto opened = formats::unseal(file, kPassphrase);
    ASSERT_TRUE(opened) << size << ": " << opened.error().message;
    EXPECT_EQ(opened->content, content) << size;
    EXPECT_EQ(opened->kind, SealedKind::json_export);
  }
}

TEST(Sealed, TheDefaultCostIsLibsodiumsModerateOne) {
  const auto file = formats::seal("journal", kPassphrase, SealedKind::backup);
  ASSERT_TRUE(file);
  const auto opened = formats::unseal(*file, kPassphrase);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->content, "journal");
  // opslimit 3 and memlimit 256 MiB, little-endian, as docs/formats.md gives them.
  EXPECT_EQ(file->substr(12, 8), std::string("\x03\0\0\0\0\0\0\x10", 8));
}

TEST(Sealed, TwoSealsOfTheSameContentDiffer) {
  EXPECT_NE(sealed("same"), sealed("same"));  // A new salt and nonce each time.
}

TEST(Sealed, AWrongPassphraseIsRefusedByName) {
  const auto opened = formats::unseal(sealed("journal"), "correct horse battery stapler");
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().field, "passphrase");
  EXPECT_NE(opened.error().message.find("passphrase is wrong"), std::string::npos);
}

TEST(Sealed, AShortPassphraseIsRefusedWhenSealing) {
  const auto out = formats::seal("x", "short", SealedKind::backup, formats::interactive_strength());
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().field, "passphrase");
}

// Every single changed byte — header, salt, nonce, ciphertext, tag — is refused.
TEST(Sealed, EveryChangedByteIsRefused) {
  const auto file = sealed(sample(70000));
  std::mt19937 random(11);
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < 64; ++i) positions.push_back(i);  // The whole header and more.
  for (int i = 0; i < 24; ++i) positions.push_back(random() % file.size());
  positions.push_back(file.size() - 1);
  for (const auto at : positions) {
    auto changed = file;
    changed[at] = static_cast<char>(changed[at] ^ 0x01);
    const auto opened = formats::unseal(changed, kPassphrase);
    EXPECT_FALSE(opened) << "a change at byte " << at << " was not noticed";
  }
}

TEST(Sealed, ACutOffOrExtendedFileIsRefused) {
  const auto file = sealed(sample(70000));
  // Cut at the end of the first (whole, not final) chunk: every chunk left is authentic.
  const auto first_chunk_end = 60 + 65536 + 17;
  for (const std::size_t length : {std::size_t{10}, std::size_t{59}, std::size_t{77},
                                   std::size_t(first_chunk_end), file.size() - 1}) {
    const auto opened = formats::unseal(file.substr(0, length), kPassphrase);
    EXPECT_FALSE(opened) << "cut at " << length;
  }
  const auto cut = formats::unseal(file.substr(0, first_chunk_end), kPassphrase);
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("cut off"), std::string::npos) << cut.error().message;
  const auto longer = formats::unseal(file + "more", kPassphrase);
  ASSERT_FALSE(longer);
}

TEST(Sealed, AHeaderAskingForHugeKeyCostIsRefusedBeforeDerivingAKey) {
  auto file = sealed("journal");
  for (int i = 16; i < 20; ++i) file[i] = '\xFF';  // memlimit: 4 GiB
  const auto opened = formats::unseal(file, kPassphrase);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().field, "file");
  EXPECT_NE(opened.error().message.find("out of range"), std::string::npos);
}

TEST(Sealed, APlainFileIsNotSealed) {
  EXPECT_FALSE(formats::looks_sealed("SQLite format 3"));
  const auto opened = formats::unseal("{\"format\":\"mitra-journal\"}", kPassphrase);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().field, "file");
}

// Through the real binary: backup --encrypt, restore into a new journal, refusals.
class EncryptedBackup : public ::testing::Test {
 protected:
  RunResult mitra(const std::string& db, const std::string& args) {
    return run_shell("MITRA_DB= '" + std::string(MITRA_BINARY) + "' --db '" + dir_.file(db) +
                         "' --tz Europe/Berlin --now 2026-01-10T12:00:00Z " + args,
                     dir_);
  }
  std::string passphrase_file(const std::string& text) {
    const auto path = dir_.file("secret-" + std::to_string(++files_));
    write_file(path, text + "\n");
    return path;
  }
  TempDir dir_;
  int files_ = 0;
};

TEST_F(EncryptedBackup, RestoresIntoANewJournalAndRefusesAWrongPassphraseOrAChangedByte) {
  ASSERT_EQ(mitra("a.db", "log 2.5g --at 2026-01-10T08:00:00Z").exit_code, 0);
  ASSERT_EQ(mitra("a.db", "checkin --scale daily --answers '{\"answers\": [3, 4, 5]}'").exit_code,
            0)
      << "check-in";
  const auto secret = passphrase_file(kPassphrase);
  const auto backup = dir_.file("a.mitra-backup");
  auto made =
      mitra("a.db", "backup --encrypt '" + backup + "' --passphrase-fd 3 3<'" + secret + "'");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto bytes = read_file(backup);
  EXPECT_TRUE(formats::looks_sealed(bytes));
  EXPECT_EQ(bytes.find("SQLite format"), std::string::npos);
  EXPECT_EQ(bytes.find("2.5"), std::string::npos);

  const auto wrong = passphrase_file("not the passphrase at all");
  auto refused = mitra("b.db", "restore '" + backup + "' --passphrase-fd 3 3<'" + wrong + "'");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("passphrase is wrong"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("b.db"))) << "nothing written";

  auto changed = bytes;
  changed[changed.size() / 2] = static_cast<char>(changed[changed.size() / 2] ^ 0x40);
  write_file(dir_.file("changed.mitra-backup"), changed);
  refused = mitra("b.db", "restore '" + dir_.file("changed.mitra-backup") +
                              "' --passphrase-fd 3 3<'" + secret + "'");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("b.db"))) << "nothing written";

  auto restored = mitra("b.db", "restore '" + backup + "' --passphrase-fd 3 3<'" + secret + "'");
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(mitra("b.db", "export --format csv").out, mitra("a.db", "export --format csv").out);
  EXPECT_EQ(mitra("b.db", "--json history").out, mitra("a.db", "--json history").out);
  // Only the journal is left beside it: the decrypted copy is gone.
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".mitra-restore"), std::string::npos);
    EXPECT_EQ(entry.path().filename().string().find(".plain-"), std::string::npos);
  }
}

TEST_F(EncryptedBackup, AJournalWithRecordsIsReplacedOnlyWhenAskedTo) {
  ASSERT_EQ(mitra("a.db", "log 2.5g --at 2026-01-10T08:00:00Z").exit_code, 0);
  ASSERT_EQ(mitra("a.db", "backup '" + dir_.file("plain.db") + "'").exit_code, 0);
  ASSERT_EQ(mitra("b.db", "log 1g --at 2026-01-10T09:00:00Z").exit_code, 0);
  auto refused = mitra("b.db", "restore '" + dir_.file("plain.db") + "'");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--replace"), std::string::npos) << refused.err;
  refused = mitra("b.db", "restore --replace '" + dir_.file("plain.db") + "' </dev/null");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--yes"), std::string::npos) << refused.err;
  EXPECT_NE(mitra("b.db", "export --format csv").out.find(",1,g,"), std::string::npos);
  const auto done = mitra("b.db", "restore --replace --yes '" + dir_.file("plain.db") + "'");
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(mitra("b.db", "export --format csv").out, mitra("a.db", "export --format csv").out);
}

TEST_F(EncryptedBackup, AnEncryptedExportImportsWithItsPassphrase) {
  ASSERT_EQ(mitra("a.db", "log 2.5g --at 2026-01-10T08:00:00Z").exit_code, 0);
  const auto secret = passphrase_file(kPassphrase);
  const auto file = dir_.file("journal.mitra");
  auto made =
      mitra("a.db", "export --encrypt -o '" + file + "' --passphrase-fd 3 3<'" + secret + "'");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_TRUE(formats::looks_sealed(read_file(file)));
  auto imported = mitra("b.db", "import '" + file + "' --passphrase-fd 3 3<'" + secret + "'");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(mitra("b.db", "export --format csv").out, mitra("a.db", "export --format csv").out);
  // Without a terminal and without --passphrase-fd there is no way to ask: a clear refusal.
  auto refused = run_shell("MITRA_DB= setsid -w '" + std::string(MITRA_BINARY) + "' --db '" +
                               dir_.file("c.db") + "' import '" + file + "' </dev/null",
                           dir_);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("passphrase"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace mitra::testing
