#pragma once
// A small blocking HTTP/1.1 client for the in-process server tests: one request per
// connection, through Beast, or raw bytes for malformed requests.

#include <cctype>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace mitra::testing {

struct Reply {
  unsigned status = 0;  // 0: the connection closed without an answer.
  std::string body;
  std::map<std::string, std::string> headers;  // Last value of each field; names lower case.
  std::vector<std::string> cookies;            // Every Set-Cookie.
  nlohmann::json document() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string error_field() const {
    const auto doc = document();
    return doc.contains("error") && doc["error"]["field"].is_string()
               ? doc["error"]["field"].get<std::string>()
               : std::string();
  }
};

// `head`: the answer to a HEAD request, which has a Content-Length but no body. `Stream`: a
// tcp_stream, or an ssl_stream over one.
template <typename Stream>
Reply read_reply(Stream& stream, bool head = false) {
  namespace http = boost::beast::http;
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.skip(head);
  boost::beast::error_code ec;
  http::read(stream, buffer, parser, ec);
  Reply reply;
  if (ec) return reply;
  const auto& response = parser.get();
  reply.status = response.result_int();
  reply.body = response.body();
  for (const auto& field : response) {
    std::string name(field.name_string().data(), field.name_string().size());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string value(field.value().data(), field.value().size());
    if (name == "set-cookie") reply.cookies.push_back(value);
    reply.headers[name] = value;
  }
  return reply;
}

inline boost::beast::tcp_stream connect(boost::asio::io_context& ioc, unsigned short port) {
  boost::beast::tcp_stream stream(ioc);
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  return stream;
}

// "Host: 127.0.0.1:PORT\r\n", for requests written by hand (the server answers only to its
// own names).
inline std::string host_line(unsigned short port) {
  return "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
}

// One request to 127.0.0.1:port; a JSON content type when there is a body, unless `headers`
// give another.
inline Reply send(unsigned short port, boost::beast::http::verb method, const std::string& target,
                  const std::string& body,
                  const std::vector<std::pair<std::string, std::string>>& headers) {
  namespace http = boost::beast::http;
  boost::asio::io_context ioc;
  auto stream = connect(ioc, port);
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request);
  return read_reply(stream, method == http::verb::head);
}

// Sends `bytes` as they are and reads one response.
inline Reply send_raw(unsigned short port, const std::string& bytes) {
  boost::asio::io_context ioc;
  auto stream = connect(ioc, port);
  boost::asio::write(stream.socket(), boost::asio::buffer(bytes));
  return read_reply(stream);
}

}  // namespace mitra::testing
