// Internal to lib/git, built only when libgit2 is linked statically (CAPSTAN_STATIC_DEPS).
// libgit2's SPNEGO/Kerberos HTTP authentication calls eight GSS-API functions; linking
// libgssapi_krb5 directly would load it and its six dependencies (krb5, k5crypto, com_err,
// krb5support, keyutils, resolv) into every tool on every start, which costs more CPU than the
// rest of a --version run. These definitions load the real library on the first call instead;
// when it cannot be loaded they fail with GSS_S_FAILURE, which libgit2 reports as an
// authentication failure. Signatures as in RFC 2744.
#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <mutex>

namespace {

using OM_uint32 = std::uint32_t;
struct gss_OID_desc {
  OM_uint32 length;
  void* elements;
};
using gss_OID = gss_OID_desc*;
struct gss_OID_set_desc {
  std::size_t count;
  gss_OID elements;
};
using gss_OID_set = gss_OID_set_desc*;
struct gss_buffer_desc {
  std::size_t length;
  void* value;
};
using gss_buffer_t = gss_buffer_desc*;
using gss_name_t = struct gss_name_struct*;
using gss_ctx_id_t = struct gss_ctx_id_struct*;
using gss_cred_id_t = struct gss_cred_id_struct*;
using gss_channel_bindings_t = struct gss_channel_bindings_struct*;

constexpr OM_uint32 kGssFailure = 13u << 16;  // GSS_S_FAILURE

// 1.2.840.113554.1.2.1.4, the host-based service name type (RFC 2744 4.1).
gss_OID_desc host_based_service = {10,
                                   const_cast<char*>("\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04")};

void* Library() {
  static void* handle = nullptr;
  static std::once_flag once;
  std::call_once(once, [] { handle = ::dlopen("libgssapi_krb5.so.2", RTLD_NOW | RTLD_LOCAL); });
  return handle;
}

template <typename Fn>
Fn Resolve(const char* name) {
  void* lib = Library();
  return lib == nullptr ? nullptr : reinterpret_cast<Fn>(::dlsym(lib, name));
}

// The library's own name-type OID for ours, so it compares as the very object it expects.
gss_OID RealOid(gss_OID oid) {
  if (oid != &host_based_service) return oid;
  auto* real = Resolve<gss_OID*>("GSS_C_NT_HOSTBASED_SERVICE");
  return real != nullptr ? *real : oid;
}

}  // namespace

#define CAPSTAN_GSS_FORWARD(name, params, args)            \
  extern "C" OM_uint32 name params {                       \
    static auto* fn = Resolve<OM_uint32(*) params>(#name); \
    if (fn == nullptr) {                                   \
      if (minor != nullptr) *minor = 0;                    \
      return kGssFailure;                                  \
    }                                                      \
    return fn args;                                        \
  }

extern "C" {
gss_OID GSS_C_NT_HOSTBASED_SERVICE = &host_based_service;
}

CAPSTAN_GSS_FORWARD(gss_delete_sec_context,
                    (OM_uint32 * minor, gss_ctx_id_t* context, gss_buffer_t output_token),
                    (minor, context, output_token))
CAPSTAN_GSS_FORWARD(gss_display_status,
                    (OM_uint32 * minor, OM_uint32 status, int status_type, gss_OID mech,
                     OM_uint32* message_context, gss_buffer_t status_string),
                    (minor, status, status_type, mech, message_context, status_string))
CAPSTAN_GSS_FORWARD(gss_import_name,
                    (OM_uint32 * minor, gss_buffer_t input_name, gss_OID name_type,
                     gss_name_t* output_name),
                    (minor, input_name, RealOid(name_type), output_name))
CAPSTAN_GSS_FORWARD(gss_indicate_mechs, (OM_uint32 * minor, gss_OID_set* mechs), (minor, mechs))
CAPSTAN_GSS_FORWARD(gss_init_sec_context,
                    (OM_uint32 * minor, gss_cred_id_t cred, gss_ctx_id_t* context,
                     gss_name_t target, gss_OID mech, OM_uint32 req_flags, OM_uint32 time_req,
                     gss_channel_bindings_t bindings, gss_buffer_t input_token,
                     gss_OID* actual_mech, gss_buffer_t output_token, OM_uint32* ret_flags,
                     OM_uint32* time_rec),
                    (minor, cred, context, target, mech, req_flags, time_req, bindings, input_token,
                     actual_mech, output_token, ret_flags, time_rec))
CAPSTAN_GSS_FORWARD(gss_release_buffer, (OM_uint32 * minor, gss_buffer_t buffer), (minor, buffer))
CAPSTAN_GSS_FORWARD(gss_release_name, (OM_uint32 * minor, gss_name_t* name), (minor, name))
CAPSTAN_GSS_FORWARD(gss_release_oid_set, (OM_uint32 * minor, gss_OID_set* set), (minor, set))
