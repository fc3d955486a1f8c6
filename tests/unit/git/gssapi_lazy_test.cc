// lib/git/gssapi_lazy.cc, in a process of its own (capstan_gssapi_lazy_test, built only with
// CAPSTAN_STATIC_DEPS): capstan_tests links libcurl, which loads libgssapi_krb5 at start.
#include <dlfcn.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <string>

// RFC 2744's types and the two calls, as the shim defines them.
extern "C" {
using OM_uint32 = std::uint32_t;
struct gss_OID_desc {
  OM_uint32 length;
  void* elements;
};
struct gss_buffer_desc {
  std::size_t length;
  void* value;
};
struct gss_name_struct;
extern gss_OID_desc* GSS_C_NT_HOSTBASED_SERVICE;
OM_uint32 gss_import_name(OM_uint32* minor, gss_buffer_desc* input_name, gss_OID_desc* name_type,
                          gss_name_struct** output_name);
OM_uint32 gss_release_name(OM_uint32* minor, gss_name_struct** name);
}

namespace {

constexpr char kLibrary[] = "libgssapi_krb5.so.2";
constexpr OM_uint32 kComplete = 0;  // GSS_S_COMPLETE

bool Loaded() {
  void* handle = ::dlopen(kLibrary, RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  ::dlclose(handle);
  return true;
}

OM_uint32 Import(const std::string& text, gss_OID_desc* type, gss_name_struct** name) {
  OM_uint32 minor = 0;
  gss_buffer_desc buffer{text.size(), const_cast<char*>(text.data())};
  return gss_import_name(&minor, &buffer, type, name);
}

TEST_CASE("gss_import_name loads libgssapi_krb5 on first use and maps the host-based name type",
          "[git]") {
  REQUIRE_FALSE(Loaded());
  gss_name_struct* name = nullptr;
  OM_uint32 major = Import("HTTP@localhost", GSS_C_NT_HOSTBASED_SERVICE, &name);
  if (!Loaded()) {
    std::cout << "skipped: libgssapi_krb5.so.2 is not installed\n";
    CHECK(major != kComplete);
    return;
  }
  REQUIRE(major == kComplete);
  REQUIRE(name != nullptr);
  OM_uint32 minor = 0;
  CHECK(gss_release_name(&minor, &name) == kComplete);
  CHECK(name == nullptr);

  // The shim's OID object is its own; the library's has the same bytes (1.2.840.113554.1.2.1.4).
  void* handle = ::dlopen(kLibrary, RTLD_NOW | RTLD_NOLOAD);
  REQUIRE(handle != nullptr);
  auto* real = reinterpret_cast<gss_OID_desc**>(::dlsym(handle, "GSS_C_NT_HOSTBASED_SERVICE"));
  ::dlclose(handle);
  REQUIRE(real != nullptr);
  CHECK(*real != GSS_C_NT_HOSTBASED_SERVICE);
  REQUIRE((*real)->length == GSS_C_NT_HOSTBASED_SERVICE->length);
  CHECK(std::memcmp((*real)->elements, GSS_C_NT_HOSTBASED_SERVICE->elements,
                    GSS_C_NT_HOSTBASED_SERVICE->length) == 0);
}

}  // namespace
