/* vdfc-nojvm-check: a plain C program (so vdfc.h is checked as C) that calls the API without starting a JVM.
 * Every call must return VDFC_E_NO_JVM with a message, never a false VDFC_OK and never a crash. Exit 0 if so.
 * vdfc-nojvm-check CLASSPATH: then it starts the JVM with that class path, checks that vdfc answers, ends the JVM with
 * JavaCPP_uninit and checks that calls return VDFC_E_NO_JVM again (they had returned a false VDFC_OK). */
#include <stdio.h>
#include <string.h>

#include "vdfc.h"

int main(int argc, char **argv) {
  vdfc_session s = 0;
  vdfc_handle h = 0;
  char message[512];
  int failures = 0;
  int rc = vdfc_open("any.cfg", NULL, &s);
  int last = vdfc_last_error(message, (int32_t)sizeof message);
  if (rc != VDFC_E_NO_JVM || last != VDFC_E_NO_JVM || s != 0 || strstr(message, "JavaCPP_init") == NULL) {
    printf("FAILED vdfc_open without a JVM: rc=%s last=%s session=%lld message=%s\n", vdfc_status_name(rc),
           vdfc_status_name(last), (long long)s, message);
    failures++;
  }
  rc = vdfc_compress_cell(1, 1, "proton", NULL, NULL, 0, &h);
  if (rc != VDFC_E_NO_JVM || h != 0) {
    printf("FAILED vdfc_compress_cell without a JVM: rc=%s\n", vdfc_status_name(rc));
    failures++;
  }
  if (argc > 1 && failures == 0) {
    char cp[8192];
    snprintf(cp, sizeof cp, "-Djava.class.path=%s", argv[1]);
    const char *options[] = {cp, "-Xmx128m"};
    if (JavaCPP_init(2, options) != 0) {
      printf("FAILED JavaCPP_init\n");
      return 1;
    }
    rc = vdfc_open("no-such.cfg", NULL, &s);
    if (rc != VDFC_E_CONFIG || s != 0) {
      printf("FAILED vdfc_open of a missing config with a JVM: rc=%s\n", vdfc_status_name(rc));
      failures++;
    }
    JavaCPP_uninit();
    int32_t n = -1;
    rc = vdfc_open("no-such.cfg", NULL, &s);
    int rc2 = vdfc_block_count(1, 1, &n);
    last = vdfc_last_error(message, (int32_t)sizeof message);
    if (rc != VDFC_E_NO_JVM || rc2 != VDFC_E_NO_JVM || s != 0 || n != -1 || strstr(message, "JavaCPP_uninit") == NULL) {
      printf("FAILED after JavaCPP_uninit: vdfc_open rc=%s, vdfc_block_count rc=%s, message=%s\n",
             vdfc_status_name(rc), vdfc_status_name(rc2), message);
      failures++;
    }
  }
  if (failures == 0) printf("NOJVM OK: %s: %s\n", vdfc_status_name(last), message);
  return failures == 0 ? 0 : 1;
}
