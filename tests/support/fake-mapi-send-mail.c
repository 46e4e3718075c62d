/*
 * A stand-in MAPISendMailW with the real signature, for tests on machines without Windows: it prints
 * every member it receives as JSON, strings as UTF-16 code units (\uXXXX), so a test sees exactly what
 * a mail client's MAPI DLL would. Built by tests/unit/services/handoff/mapi.test.ts with cc.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uchar.h>
typedef struct { uint32_t ulReserved, ulRecipClass; char16_t *lpszName, *lpszAddress; uint32_t ulEIDSize; void *lpEntryID; } R;
typedef struct { uint32_t ulReserved, flFlags, nPosition; char16_t *lpszPathName, *lpszFileName; void *lpFileType; } F;
typedef struct { uint32_t ulReserved; char16_t *lpszSubject, *lpszNoteText, *lpszMessageType, *lpszDateReceived, *lpszConversationID;
  uint32_t flFlags; R *lpOriginator; uint32_t nRecipCount; R *lpRecips; uint32_t nFileCount; F *lpFiles; } M;
static char out[1 << 20];
static void s(const char16_t *p) {
  size_t n = strlen(out);
  if (!p) { n += sprintf(out + n, "null"); }
  else { n += sprintf(out + n, "\""); while (*p) n += sprintf(out + n, "\\u%04x", (unsigned)*p++); n += sprintf(out + n, "\""); }
}
#define P(...) sprintf(out + strlen(out), __VA_ARGS__)
const char *received(void) { return out; }
uint32_t MAPISendMailW(uintptr_t session, uintptr_t ui, M *m, uint32_t flags, uint32_t reserved) {
  out[0] = 0;
  P("{\"session\":%lu,\"flags\":%u,\"reserved\":%u,\"message\":{\"ulReserved\":%u,\"lpszSubject\":", (unsigned long)session, flags, reserved, m->ulReserved);
  s(m->lpszSubject); P(",\"lpszNoteText\":"); s(m->lpszNoteText); P(",\"lpszMessageType\":"); s(m->lpszMessageType);
  P(",\"lpszDateReceived\":"); s(m->lpszDateReceived); P(",\"lpszConversationID\":"); s(m->lpszConversationID);
  P(",\"flFlags\":%u,\"lpOriginator\":%s,\"nRecipCount\":%u,\"lpRecips\":[", m->flFlags, m->lpOriginator ? "1" : "null", m->nRecipCount);
  for (uint32_t i = 0; i < m->nRecipCount; i++) {
    R *r = &m->lpRecips[i];
    P("%s{\"ulReserved\":%u,\"ulRecipClass\":%u,\"lpszName\":", i ? "," : "", r->ulReserved, r->ulRecipClass); s(r->lpszName);
    P(",\"lpszAddress\":"); s(r->lpszAddress); P(",\"ulEIDSize\":%u,\"lpEntryID\":%s}", r->ulEIDSize, r->lpEntryID ? "1" : "null");
  }
  P("],\"nFileCount\":%u,\"lpFiles\":[", m->nFileCount);
  for (uint32_t i = 0; i < m->nFileCount; i++) {
    F *f = &m->lpFiles[i];
    P("%s{\"ulReserved\":%u,\"flFlags\":%u,\"nPosition\":%u,\"lpszPathName\":", i ? "," : "", f->ulReserved, f->flFlags, f->nPosition); s(f->lpszPathName);
    P(",\"lpszFileName\":"); s(f->lpszFileName); P(",\"lpFileType\":%s}", f->lpFileType ? "1" : "null");
  }
  P("]}}");
  return 14;
}
