#include "scan_secrets.h"

#include <array>
#include <string_view>

#include "secrets/builtin_rules.h"

namespace capstan::bench {
namespace {

using std::to_string;

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kBase64Chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string FromAlphabet(Rng& rng, std::string_view alphabet, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out +=
        alphabet[static_cast<std::size_t>(rng.Uniform(0, static_cast<int>(alphabet.size()) - 1))];
  return out;
}

std::string RandomBytes(Rng& rng, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += static_cast<char>(rng.Uniform(0, 255));
  return out;
}

template <std::size_t N>
std::string Bytes(const std::array<unsigned char, N>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// text cut into lines of `width`, each after indent and ending in '\n'.
std::string Wrap(std::string_view text, std::size_t width, std::string_view indent) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += width) {
    out += indent;
    out += text.substr(i, width);
    out += '\n';
  }
  return out;
}

std::string SopsValue(Rng& rng, int plain_bytes) {
  std::string data = Base64(RandomBytes(rng, plain_bytes));
  std::string iv = Base64(RandomBytes(rng, 32));
  std::string tag = Base64(RandomBytes(rng, 16));
  return "ENC[AES256_GCM,data:" + data + ",iv:" + iv + ",tag:" + tag + ",type:str]";
}

std::string AwsKeyId(Rng& rng) {
  return "AKIA" + FromAlphabet(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
}

std::string AwsSecretKey(Rng& rng) { return FromAlphabet(rng, kBase64Chars, 40); }

std::string GithubToken(Rng& rng) {
  std::string body = FromAlphabet(rng, kBase62, 30);
  return "ghp_" + body + secrets::GithubChecksum(body);
}

std::string SlackWebhook(Rng& rng) {
  std::string team = FromAlphabet(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 8);
  std::string channel = FromAlphabet(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10);
  std::string secret = FromAlphabet(rng, kBase62, 24);
  return "https://hooks.slack.com/services/T" + team + "/B" + channel + "/" + secret;
}

// A private key as the usual tools write it: the DER (or OpenSSH) header of the real format,
// then random bytes of the real length, so its base64 starts as real keys do (MIIEpAIBAAKCAQEA).
std::string PemKey(Rng& rng, std::string_view indent) {
  static constexpr std::array<unsigned char, 12> kRsa = {0x30, 0x82, 0x04, 0xa4, 0x02, 0x01,
                                                         0x00, 0x02, 0x82, 0x01, 0x01, 0x00};
  static constexpr std::array<unsigned char, 26> kPkcs8 = {
      0x30, 0x82, 0x04, 0xbe, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86,
      0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x04, 0x82, 0x04, 0xa8};
  static constexpr std::array<unsigned char, 7> kEc = {0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20};
  static constexpr std::array<unsigned char, 15> kOpenSsh = {'o', 'p', 'e', 'n', 's', 's', 'h', '-',
                                                             'k', 'e', 'y', '-', 'v', '1', 0};
  std::string label, der;
  std::size_t width = 64;
  switch (rng.Uniform(0, 3)) {
    case 0:
      label = "RSA PRIVATE KEY";
      der = Bytes(kRsa) + RandomBytes(rng, 1180);
      break;
    case 1:
      label = "PRIVATE KEY";
      der = Bytes(kPkcs8) + RandomBytes(rng, 1192);
      break;
    case 2:
      label = "EC PRIVATE KEY";
      der = Bytes(kEc) + RandomBytes(rng, 112);
      break;
    default:
      label = "OPENSSH PRIVATE KEY";
      der = Bytes(kOpenSsh) + RandomBytes(rng, 384);
      width = 70;
      break;
  }
  std::string out = std::string(indent) + "-----BEGIN " + label + "-----\n";
  out += Wrap(Base64(der), width, indent);
  out += std::string(indent) + "-----END " + label + "-----\n";
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string AgeChars(Rng& rng, int n) {
  return FromAlphabet(rng, "qpzry9x8gf2tvdw0s3jn54khce6mua7l", n);
}

std::string SealedSecret(const AppRef& ref, Rng& rng) {
  std::string out = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n";
  AppendMetadata(ref, ref.app + "-db", out);
  std::string password = Base64(std::string(1, '\x02') + RandomBytes(rng, 529));
  std::string username = Base64(std::string(1, '\x02') + RandomBytes(rng, 526));
  out += "spec:\n  encryptedData:\n    password: " + password + "\n    username: " + username +
         "\n  template:\n    metadata:\n      name: " + ref.app +
         "-db\n      namespace: " + ref.team + "-" + ref.env + "\n    type: Opaque\n";
  return out;
}

std::string SopsSecret(const AppRef& ref, Rng& rng) {
  std::string username = SopsValue(rng, static_cast<int>(ref.app.size()));
  std::string password = SopsValue(rng, 32);
  std::string recipient = AgeChars(rng, 58);
  std::string header = "age-encryption.org/v1\n-> X25519 " + RandomToken(rng, 43) + "\n";
  std::string age = Base64(header + RandomBytes(rng, 140));
  int day = rng.Uniform(1, 28);
  int hour = rng.Uniform(10, 23);
  std::string mac = SopsValue(rng, 64);
  return "apiVersion: v1\nkind: Secret\nmetadata:\n    name: " + ref.app +
         "-db\n    namespace: " + ref.team +
         "\ntype: Opaque\nstringData:\n    username: " + username + "\n    password: " + password +
         "\nsops:\n    kms: []\n    gcp_kms: []\n    azure_kv: []\n    hc_vault: []\n    age:\n"
         "        - recipient: age1" +
         recipient + "\n          enc: |\n            -----BEGIN AGE ENCRYPTED FILE-----\n" +
         Wrap(age, 64, "            ") +
         "            -----END AGE ENCRYPTED FILE-----\n    lastmodified: \"2024-05-" +
         (day < 10 ? "0" : "") + to_string(day) + "T" + to_string(hour) +
         ":14:07Z\"\n    mac: " + mac +
         "\n    pgp: []\n    encrypted_regex: ^(data|stringData)$\n    version: 3.8.1\n";
}

Planted PlantSecret(Rng& rng, CorpusFile& file) {
  AppRef ref = AppOfPath(file.path);
  std::string& out = file.content;
  if (!out.empty()) out += "---\n";
  Planted planted{file.path, CountLines(out) + 1, 0, "secret-data"};
  std::string name = ref.app + "-credentials";
  if (rng.Chance(50)) {
    AppendDocument(DocKind::kSecret, ref, name, rng, out);
  } else {
    planted.kind = "secret-stringdata";
    std::string password = RandomToken(rng, 24);
    out += "apiVersion: v1\nkind: Secret\n";
    AppendMetadata(ref, name, out);
    out += "type: Opaque\nstringData:\n  username: " + ref.app + "\n  password: " + password + "\n";
    if (rng.Chance(50)) {
      out += "  DATABASE_URL: postgres://" + ref.app + ":" + password + "@" + ref.app + "-db." +
             ref.team + ".svc:5432/" + ref.app + "\n";
    } else {
      out += "  api-key: " + RandomToken(rng, 40) + "\n";
    }
  }
  planted.last_line = CountLines(out);
  return planted;
}

bool CanPlant(TokenKind kind, const CorpusFile& file) {
  const std::string& p = file.path;
  switch (kind) {
    case TokenKind::kAwsAccessKey:
      return EndsWith(p, "/app.env") || (p.starts_with("infra/") && EndsWith(p, "/main.tf"));
    case TokenKind::kGithubToken:
      return EndsWith(p, "/app.env") || EndsWith(p, "/values.yaml") ||
             (p.starts_with("apps/") && EndsWith(p, "/README.md"));
    case TokenKind::kPemPrivateKey:
      return EndsWith(p, "/values.yaml") || EndsWith(p, "/base/configmap.yaml") ||
             (p.starts_with("infra/") && EndsWith(p, "/main.tf"));
    case TokenKind::kSlackWebhook:
      return EndsWith(p, "/values.yaml");
  }
  return false;
}

Planted PlantToken(TokenKind kind, Rng& rng, CorpusFile& file) {
  std::string& out = file.content;
  if (!out.empty() && out.back() != '\n') out += '\n';
  Planted planted{file.path, CountLines(out) + 1, 0, ""};
  const std::string& p = file.path;
  switch (kind) {
    case TokenKind::kAwsAccessKey: {
      planted.kind = "aws-access-key";
      std::string id = AwsKeyId(rng);
      std::string secret = AwsSecretKey(rng);
      if (EndsWith(p, ".env")) {
        out += "AWS_ACCESS_KEY_ID=" + id + "\nAWS_SECRET_ACCESS_KEY=" + secret +
               "\nAWS_DEFAULT_REGION=eu-west-1\n";
      } else {
        out +=
            "\nprovider \"aws\" {\n  alias      = \"legacy\"\n  region     = \"us-east-1\"\n"
            "  access_key = \"" +
            id + "\"\n  secret_key = \"" + secret + "\"\n}\n";
      }
      break;
    }
    case TokenKind::kGithubToken: {
      planted.kind = "github-token";
      std::string token = GithubToken(rng);
      if (EndsWith(p, ".env")) {
        out += "GITHUB_TOKEN=" + token + "\n";
      } else if (EndsWith(p, ".yaml")) {
        out +=
            "\ngitSync:\n  repo: https://github.com/acme/config.git\n  username: acme-bot\n"
            "  token: " +
            token + "\n";
      } else {
        out +=
            "\n## Pulling the chart locally\n\n    helm repo add acme https://acme-bot:" + token +
            "@raw.githubusercontent.com/acme/charts/main\n";
      }
      break;
    }
    case TokenKind::kPemPrivateKey:
      planted.kind = "pem-private-key";
      if (EndsWith(p, "/values.yaml")) {
        out += "\ntls:\n  enabled: true\n  key: |\n" + PemKey(rng, "    ");
      } else if (EndsWith(p, ".yaml")) {
        out += "  client.key: |\n" + PemKey(rng, "    ");
      } else {
        out += "\nlocals {\n  deploy_key = <<-EOT\n" + PemKey(rng, "    ") + "  EOT\n}\n";
      }
      break;
    case TokenKind::kSlackWebhook:
      planted.kind = "slack-webhook";
      out += "\nalertmanager:\n  config:\n    global:\n      slack_api_url: " + SlackWebhook(rng) +
             "\n";
      break;
  }
  planted.last_line = CountLines(out);
  return planted;
}

int CountLines(std::string_view text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines + (!text.empty() && text.back() != '\n');
}

}  // namespace capstan::bench
