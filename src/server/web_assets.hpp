#pragma once
// The browser UI: the files under web/src, and the chart library from web/node_modules,
// compiled into the binary (see src/server/CMakeLists.txt). Paths are relative to web/src,
// e.g. "index.html", "vendor/chart.umd.min.js".

#include <optional>
#include <string_view>
#include <vector>

namespace mitra::web {

std::optional<std::string_view> find(std::string_view path);
std::vector<std::string_view> list();

// The same files compressed at build time: "app.js.gz", "app.js.br" (text files only).
namespace encoded {
std::optional<std::string_view> find(std::string_view path);
std::vector<std::string_view> list();
}  // namespace encoded

}  // namespace mitra::web
