/* vdfc-nojvm-check: a plain C program (so vdfc.h is checked as C) that calls the API without starting a JVM.
 * Every call must return VDFC_E_NO_JVM with a message, never a false VDFC_OK and never a crash. Exit 0 if so. */
#include <stdio.h>
#include <string.h>

#include "vdfc.h"

int main(void) {
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
  if (failures == 0) printf("NOJVM OK: %s: %s\n", vdfc_status_name(last), message);
  return failures == 0 ? 0 : 1;
}
