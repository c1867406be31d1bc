#pragma once
// Files from data/ compiled into the binary (see cmake/embed.cmake).
// Paths are relative to data/, e.g. "instruments/sows.json".

#include <optional>
#include <string_view>
#include <vector>

namespace mitra::data {

// The content of an embedded file, or nullopt if no such file was embedded.
std::optional<std::string_view> find(std::string_view path);

// Every embedded path, sorted.
std::vector<std::string_view> list();

}  // namespace mitra::data
