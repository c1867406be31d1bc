// The web app's files: compressed copies when the browser takes them, ETags and 304s, and
// caching allowed for files (never for the API's answers, which hold health data).

#include "server/static_files.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "server/response_text.hpp"
#include "server/web_assets.hpp"

namespace {

using mitra::server::static_file;
using mitra::server::StaticRequest;

std::string header(const mitra::server::Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

// `program -dc` over `data`: what a browser gets after decoding.
std::string decoded(const std::string& program, const std::string& data) {
  const auto path =
      std::filesystem::temp_directory_path() / ("mitra-encoded-" + std::to_string(::getpid()));
  std::ofstream(path, std::ios::binary) << data;
  std::string out;
  if (FILE* pipe = ::popen((program + " -dc '" + path.string() + "'").c_str(), "r")) {
    std::array<char, 4096> buffer{};
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) {
      out.append(buffer.data(), n);
    }
    ::pclose(pipe);
  }
  std::filesystem::remove(path);
  return out;
}

TEST(StaticFiles, SendsBrotliOrGzipWhenAcceptedAndTheBytesDecodeToTheFile) {
  const std::string original(*mitra::web::find("vendor/chart.umd.min.js"));
  const auto br = static_file("/vendor/chart.umd.min.js", StaticRequest{"gzip, deflate, br", ""});
  ASSERT_TRUE(br);
  EXPECT_EQ(header(*br, "Content-Encoding"), "br");
  EXPECT_EQ(header(*br, "Vary"), "Accept-Encoding");
  EXPECT_LT(br->body.size(), original.size() / 3);
  EXPECT_EQ(decoded("brotli", br->body), original);

  const auto gz = static_file("/vendor/chart.umd.min.js", StaticRequest{"gzip", ""});
  ASSERT_TRUE(gz);
  EXPECT_EQ(header(*gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(decoded("gzip", gz->body), original);

  const auto plain = static_file("/vendor/chart.umd.min.js", StaticRequest{"identity", ""});
  ASSERT_TRUE(plain);
  EXPECT_EQ(header(*plain, "Content-Encoding"), "");
  EXPECT_EQ(plain->body, original);
}

TEST(StaticFiles, ACodingWeightedZeroIsNotSent) {
  const auto response = static_file("/app.js", StaticRequest{"br;q=0, gzip;q=0.0", ""});
  ASSERT_TRUE(response);
  EXPECT_EQ(header(*response, "Content-Encoding"), "");
  EXPECT_EQ(response->body, std::string(*mitra::web::find("app.js")));
}

TEST(StaticFiles, AnUnchangedFileIsA304WithoutABodyAndEachCodingHasItsOwnTag) {
  const auto first = static_file("/", StaticRequest{"gzip", ""});
  ASSERT_TRUE(first);
  const auto tag = header(*first, "ETag");
  ASSERT_FALSE(tag.empty());
  EXPECT_NE(tag, header(*static_file("/", StaticRequest{"br", ""}), "ETag"));
  EXPECT_NE(tag, header(*static_file("/", StaticRequest{}), "ETag"));

  const auto again = static_file("/", StaticRequest{"gzip", "\"other\", " + tag});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, boost::beast::http::status::not_modified);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(header(*again, "Content-Encoding"), "");
  // The written response has no body and no Content-Length, as RFC 9110 asks of a 304.
  const auto text = mitra::server::response_text(*again, true, false);
  EXPECT_EQ(text.find("Content-Length"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("\r\n\r\n"));

  const auto changed = static_file("/", StaticRequest{"gzip", "\"0123456789abcdef-gzip\""});
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->status, boost::beast::http::status::ok);
}

// Bug: every asset was sent with "Cache-Control: no-store", so nothing was ever reused and
// the back/forward cache was refused. Files may be kept (and revalidated); API answers not.
TEST(StaticFiles, BugEveryAssetWasSentNoStore) {
  const auto file = static_file("/styles.css", StaticRequest{"gzip", ""});
  ASSERT_TRUE(file);
  const auto text = mitra::server::response_text(*file, true, false);
  EXPECT_NE(text.find("Cache-Control: no-cache\r\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("no-store"), std::string::npos) << text;

  mitra::server::Response api;
  api.body = "{}";
  EXPECT_NE(mitra::server::response_text(api, true, false).find("Cache-Control: no-store\r\n"),
            std::string::npos);
}

TEST(StaticFiles, EveryTextFileHasCompressedCopies) {
  for (const auto name : mitra::web::list()) {
    const std::string file(name);
    if (file.ends_with(".png")) continue;
    EXPECT_TRUE(mitra::web::encoded::find(file + ".gz")) << file;
    EXPECT_TRUE(mitra::web::encoded::find(file + ".br")) << file;
  }
}

}  // namespace
