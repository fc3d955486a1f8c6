#include <catch2/catch.hpp>
#include <string>

#include "secrets/builtin_rules.h"
#include "unit/secrets/builtin_rule_samples.h"

namespace capstan::secrets::samples {

std::vector<RuleSample> AiSamples() {
  std::vector<RuleSample> v;
  v.push_back({"openai-api-key", "OPENAI_API_KEY=sk-proj-" + U(74) + "T3BlbkFJ" + U(74, 2),
               "OPENAI_API_KEY=sk-" + A(48)});
  v.push_back({"openai-api-key", "OPENAI_API_KEY=sk-" + A(20) + "T3BlbkFJ" + A(20, 2), ""});
  v.push_back({"anthropic-api-key", "ANTHROPIC_API_KEY=sk-ant-api03-" + U(93) + "AA",
               "ANTHROPIC_API_KEY=sk-ant-api03-" + U(40)});
  v.push_back({"anthropic-admin-key", "ANTHROPIC_ADMIN_KEY=sk-ant-admin01-" + U(93) + "AA",
               "ANTHROPIC_ADMIN_KEY=sk-ant-admin01-" + U(93) + "AB"});
  v.push_back({"huggingface-token", "HF_TOKEN=hf_" + L(34), "HF_TOKEN=hf_" + Repeat("ab1", 34)});
  v.push_back({"huggingface-token", "HF_TOKEN=api_org_" + L(34), ""});
  v.push_back({"perplexity-api-key", "PPLX_API_KEY=pplx-" + A(48), "PPLX_API_KEY=pplx-" + A(40)});
  v.push_back({"groq-api-key", "GROQ_API_KEY=gsk_" + A(52), "GROQ_API_KEY=gsk_" + A(40)});
  v.push_back({"replicate-api-token", "REPLICATE_API_TOKEN=r8_" + A(37),
               "REPLICATE_API_TOKEN=r8_" + A(30)});
  v.push_back({"xai-api-key", "XAI_API_KEY=xai-" + A(80), "XAI_API_KEY=xai-" + A(40)});
  return v;
}

namespace {

TEST_CASE("an openai key is known by the marker between its halves, whatever its kind",
          "[secrets]") {
  for (const char* kind : {"sk-", "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"}) {
    INFO(kind);
    CHECK(Find("openai-api-key", std::string("key: ") + kind + U(58) + "T3BlbkFJ" + U(58, 2))
              .size() == 1);
  }
  CHECK(Find("openai-api-key", "key: sk-proj-" + U(58) + "T3BlbkFX" + U(58, 2)).empty());
}

}  // namespace
}  // namespace capstan::secrets::samples
