// AI model APIs.
#include "secrets/builtin_rule_families.h"

namespace capstan::secrets::internal {

std::vector<Rule> AiRules() {
  std::vector<Rule> r;
  // Every OpenAI secret key carries T3BlbkFJ, the base64 of "OpenAI", between its two halves.
  r.push_back(MakeRule("openai-api-key", "OpenAI API key (user, project, service account, admin)",
                       R"(\b(sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{20,})"
                       R"(T3BlbkFJ[A-Za-z0-9_-]{20,}))" +
                           kEndToken,
                       {"t3blbkfj"}));
  r.push_back(MakeRule("anthropic-api-key", "Anthropic API key",
                       R"(\b(sk-ant-api03-[A-Za-z0-9_-]{93}AA))" + kEndToken, {"sk-ant-api03-"}));
  r.push_back(MakeRule("anthropic-admin-key", "Anthropic Admin API key",
                       R"(\b(sk-ant-admin01-[A-Za-z0-9_-]{93}AA))" + kEndToken,
                       {"sk-ant-admin01-"}));
  r.push_back(MakeRule("huggingface-token", "Hugging Face user or organization access token",
                       R"(\b((?:hf|api_org)_[A-Za-z]{34})\b)", {"hf_", "api_org_"}, nullptr, 3.5));
  r.push_back(MakeRule("perplexity-api-key", "Perplexity API key", R"(\b(pplx-[A-Za-z0-9]{48})\b)",
                       {"pplx-"}));
  r.push_back(MakeRule("groq-api-key", "Groq API key", R"(\b(gsk_[A-Za-z0-9]{52})\b)", {"gsk_"}));
  r.push_back(MakeRule("replicate-api-token", "Replicate API token", R"(\b(r8_[A-Za-z0-9]{37})\b)",
                       {"r8_"}, nullptr, 3.5));
  r.push_back(MakeRule("xai-api-key", "xAI API key", R"(\b(xai-[A-Za-z0-9]{80})\b)", {"xai-"}));
  return r;
}

}  // namespace capstan::secrets::internal
