// `mitra learn [TOPIC]`: key facts in our own words, each with its sources; without a topic,
// also the FAQ and the chart data.

#include <memory>
#include <set>

#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/evidence.hpp"

namespace mitra::cli {

void setup_learn(CLI::App& command, Session& session) {
  auto topic = std::make_shared<std::string>();
  command.add_option("topic", *topic,
                     "dependence, frequency, withdrawal, safety, treatment, harm_reduction or "
                     "policy; all when left out");
  command.footer(
      "\nExamples:\n  mitra learn\n  mitra learn withdrawal\n  mitra --json learn "
      "safety\n" +
      command.get_footer());
  command.callback([topic, &session] {
    session.action = [topic]() -> Result<Reply> {
      auto facts = core::facts_for(*topic);
      if (!facts) return tl::unexpected(facts.error());
      Reply reply;
      auto& j = reply.json;
      std::vector<std::string> cited;
      const auto cite = [&](const std::vector<std::string>& keys) {
        for (const auto& k : keys) {
          if (std::find(cited.begin(), cited.end(), k) == cited.end()) cited.push_back(k);
        }
      };
      std::string& t = reply.text;
      j["topic"] = topic->empty() ? nlohmann::json(nullptr) : nlohmann::json(*topic);
      j["facts"] = nlohmann::json::array();
      std::string current;
      for (const auto& f : *facts) {
        j["facts"].push_back(core::to_json(f));
        cite(f.sources);
        if (f.topic != current) {
          current = f.topic;
          for (const auto& tp : core::topics()) {
            if (tp.id == current) t += "\n" + tp.title + "\n";
          }
        }
        t += wrap("• " + f.text + " " + source_keys(f.sources), 2);
      }
      if (topic->empty()) {
        j["faq"] = nlohmann::json::array();
        t += "\nQuestions people ask\n";
        for (const auto& e : core::faq()) {
          j["faq"].push_back(core::to_json(e));
          cite(e.sources);
          t += "\n" + e.question + "\n" + wrap(e.answer + " " + source_keys(e.sources), 2);
        }
        j["charts"] = nlohmann::json::array();
        t += "\nNumbers\n";
        for (const auto& c : core::charts()) {
          j["charts"].push_back(core::to_json(c));
          cite(c.sources);
          t += "  " + c.title + " (" + c.unit + ")\n";
          for (const auto& p : c.points) t += "    " + p.label + ": " + p.value.dump() + "\n";
          t += "    " + source_keys(c.sources) + "\n";
        }
      }
      nlohmann::json topics = nlohmann::json::array();
      for (const auto& tp : core::topics()) topics.push_back(tp.id);
      j["topics"] = topics;
      j["references"] = reference_map(cited);
      t += "\nReferences\n";
      for (const auto& key : cited) {
        const auto* r = core::find_reference(key);
        t += wrap(key + "  " + r->title + (r->url.empty() ? "" : "  " + r->url), 2);
      }
      t += "\n" + help_line();
      return reply;
    };
  });
}

}  // namespace mitra::cli
