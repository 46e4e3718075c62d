/*
 * A stand-in for MAPI32.dll's MAPISendMailW, so tests on Linux can call Kurier's koffi binding for
 * real and see what a mail client's MAPI provider would receive. The structures are declared here on
 * their own, from Microsoft's documentation of mapi.h, not derived from Kurier's TypeScript layout:
 * if the two ever disagree, the test comparing them fails.
 *   https://learn.microsoft.com/en-us/windows/win32/api/mapi/ns-mapi-mapimessagew
 *   https://learn.microsoft.com/en-us/windows/win32/api/mapi/ns-mapi-mapirecipdescw
 *   https://learn.microsoft.com/en-us/windows/win32/api/mapi/ns-mapi-mapifiledescw
 *   https://learn.microsoft.com/en-us/windows/win32/api/mapi/nc-mapi-mapisendmailw
 * Windows types: ULONG and FLAGS are 32 bits even on x64 (LLP64), LHANDLE and ULONG_PTR are
 * pointer-sized, PWSTR points to NUL-terminated UTF-16. On Linux x64 (LP64) plain C gives the same
 * sizes and natural alignment as the Windows x64 ABI for these members.
 *
 * The test steers it through the environment, which a helper process inherits:
 *   KURIER_MAPI_STUB_OUT     file to write what was received to, as JSON (strings decoded to UTF-8)
 *   KURIER_MAPI_STUB_RESULT  the return code (default 0, SUCCESS_SUCCESS)
 *   KURIER_MAPI_STUB_SLEEP_MS  block this long after writing, like a modal compose window
 *   KURIER_MAPI_STUB_CRASH   when set, die by SIGSEGV after writing, like a broken provider DLL
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef uint32_t ULONG;
typedef uint32_t FLAGS;
typedef uintptr_t ULONG_PTR;
typedef ULONG_PTR LHANDLE;
typedef const uint16_t *PWSTR;

typedef struct {
  ULONG ulReserved;
  ULONG ulRecipClass;
  PWSTR lpszName;
  PWSTR lpszAddress;
  ULONG ulEIDSize;
  void *lpEntryID;
} MapiRecipDescW;

typedef struct {
  ULONG ulReserved;
  ULONG flFlags;
  ULONG nPosition;
  PWSTR lpszPathName;
  PWSTR lpszFileName;
  void *lpFileType;
} MapiFileDescW;

typedef struct {
  ULONG ulReserved;
  PWSTR lpszSubject;
  PWSTR lpszNoteText;
  PWSTR lpszMessageType;
  PWSTR lpszDateReceived;
  PWSTR lpszConversationID;
  FLAGS flFlags;
  MapiRecipDescW *lpOriginator;
  ULONG nRecipCount;
  MapiRecipDescW *lpRecips;
  ULONG nFileCount;
  MapiFileDescW *lpFiles;
} MapiMessageW;

/* ---- the C compiler's own layout, for comparison with koffi's ---- */

static char layout[4096];
static size_t layoutLength;

#define APPEND(...) (layoutLength += (size_t)snprintf(layout + layoutLength, sizeof layout - layoutLength, __VA_ARGS__))
#define MEMBER(type, member) \
  APPEND("%s[\"" #member "\",%zu,%zu]", first ? "" : ",", offsetof(type, member), sizeof(((type *)0)->member)), first = 0
#define STRUCT_START(type) APPEND("%s\"" #type "\":{\"size\":%zu,\"members\":[", ++structs > 1 ? "," : "", sizeof(type)), first = 1
#define STRUCT_END() APPEND("]}")

/* {"pointer":8,"MapiRecipDescW":{"size":40,"members":[["ulReserved",0,4],…]},…}: member, offset, size, in declaration order. */
const char *mapi_stub_layout(void) {
  int first, structs = 0;
  layoutLength = 0;
  APPEND("{\"pointer\":%zu,", sizeof(void *));
  STRUCT_START(MapiRecipDescW);
  MEMBER(MapiRecipDescW, ulReserved); MEMBER(MapiRecipDescW, ulRecipClass); MEMBER(MapiRecipDescW, lpszName);
  MEMBER(MapiRecipDescW, lpszAddress); MEMBER(MapiRecipDescW, ulEIDSize); MEMBER(MapiRecipDescW, lpEntryID);
  STRUCT_END();
  STRUCT_START(MapiFileDescW);
  MEMBER(MapiFileDescW, ulReserved); MEMBER(MapiFileDescW, flFlags); MEMBER(MapiFileDescW, nPosition);
  MEMBER(MapiFileDescW, lpszPathName); MEMBER(MapiFileDescW, lpszFileName); MEMBER(MapiFileDescW, lpFileType);
  STRUCT_END();
  STRUCT_START(MapiMessageW);
  MEMBER(MapiMessageW, ulReserved); MEMBER(MapiMessageW, lpszSubject); MEMBER(MapiMessageW, lpszNoteText);
  MEMBER(MapiMessageW, lpszMessageType); MEMBER(MapiMessageW, lpszDateReceived); MEMBER(MapiMessageW, lpszConversationID);
  MEMBER(MapiMessageW, flFlags); MEMBER(MapiMessageW, lpOriginator); MEMBER(MapiMessageW, nRecipCount);
  MEMBER(MapiMessageW, lpRecips); MEMBER(MapiMessageW, nFileCount); MEMBER(MapiMessageW, lpFiles);
  STRUCT_END();
  APPEND("}");
  return layout;
}

/* ---- writing what arrived, as JSON ---- */

static void putCodePoint(FILE *out, uint32_t c) {
  if (c == '"' || c == '\\') fprintf(out, "\\%c", (char)c);
  else if (c < 0x20) fprintf(out, "\\u%04x", (unsigned)c);
  else if (c < 0x80) fputc((int)c, out);
  else if (c < 0x800) fprintf(out, "%c%c", 0xc0 | (c >> 6), 0x80 | (c & 0x3f));
  else if (c < 0x10000) fprintf(out, "%c%c%c", 0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  else fprintf(out, "%c%c%c%c", 0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
}

/* A UTF-16 string as a JSON string; a lone surrogate stays a \u escape so the test sees it as it came. */
static void putWide(FILE *out, PWSTR s) {
  if (s == NULL) { fputs("null", out); return; }
  fputc('"', out);
  for (size_t i = 0; s[i] != 0; i++) {
    uint32_t unit = s[i];
    if (unit >= 0xd800 && unit <= 0xdbff && s[i + 1] >= 0xdc00 && s[i + 1] <= 0xdfff) {
      putCodePoint(out, 0x10000 + ((unit - 0xd800) << 10) + (s[i + 1] - 0xdc00u));
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      fprintf(out, "\\u%04x", (unsigned)unit);
    } else {
      putCodePoint(out, unit);
    }
  }
  fputc('"', out);
}

static void putPointer(FILE *out, const void *p) { fputs(p == NULL ? "null" : "\"non-null\"", out); }

static void putRecipient(FILE *out, const MapiRecipDescW *r) {
  if (r == NULL) { fputs("null", out); return; }
  fprintf(out, "{\"ulReserved\":%u,\"ulRecipClass\":%u,\"lpszName\":", r->ulReserved, r->ulRecipClass);
  putWide(out, r->lpszName);
  fputs(",\"lpszAddress\":", out);
  putWide(out, r->lpszAddress);
  fprintf(out, ",\"ulEIDSize\":%u,\"lpEntryID\":", r->ulEIDSize);
  putPointer(out, r->lpEntryID);
  fputc('}', out);
}

static void putFile(FILE *out, const MapiFileDescW *f) {
  fprintf(out, "{\"ulReserved\":%u,\"flFlags\":%u,\"nPosition\":%u,\"lpszPathName\":", f->ulReserved, f->flFlags, f->nPosition);
  putWide(out, f->lpszPathName);
  fputs(",\"lpszFileName\":", out);
  putWide(out, f->lpszFileName);
  fputs(",\"lpFileType\":", out);
  putPointer(out, f->lpFileType);
  fputc('}', out);
}

static void putMessage(FILE *out, const MapiMessageW *m) {
  if (m == NULL) { fputs("null", out); return; }
  fprintf(out, "{\"ulReserved\":%u,\"lpszSubject\":", m->ulReserved);
  putWide(out, m->lpszSubject);
  fputs(",\"lpszNoteText\":", out);
  putWide(out, m->lpszNoteText);
  fputs(",\"lpszMessageType\":", out);
  putWide(out, m->lpszMessageType);
  fputs(",\"lpszDateReceived\":", out);
  putWide(out, m->lpszDateReceived);
  fputs(",\"lpszConversationID\":", out);
  putWide(out, m->lpszConversationID);
  fprintf(out, ",\"flFlags\":%u,\"lpOriginator\":", m->flFlags);
  putRecipient(out, m->lpOriginator);
  fprintf(out, ",\"nRecipCount\":%u,\"lpRecips\":[", m->nRecipCount);
  for (ULONG i = 0; i < m->nRecipCount; i++) {
    if (i > 0) fputc(',', out);
    putRecipient(out, &m->lpRecips[i]);
  }
  fprintf(out, "],\"nFileCount\":%u,\"lpFiles\":[", m->nFileCount);
  for (ULONG i = 0; i < m->nFileCount; i++) {
    if (i > 0) fputc(',', out);
    putFile(out, &m->lpFiles[i]);
  }
  fputs("]}", out);
}

ULONG MAPISendMailW(LHANDLE lhSession, ULONG_PTR ulUIParam, const MapiMessageW *lpMessage, FLAGS flFlags, ULONG ulReserved) {
  const char *path = getenv("KURIER_MAPI_STUB_OUT");
  if (path != NULL) {
    FILE *out = fopen(path, "wb");
    if (out == NULL) return 2; /* MAPI_E_FAILURE: the test sees no file and a failure */
    fprintf(out, "{\"pid\":%ld,\"lhSession\":%llu,\"ulUIParam\":%llu,\"flFlags\":%u,\"ulReserved\":%u,\"lpMessage\":", (long)getpid(),
            (unsigned long long)lhSession, (unsigned long long)ulUIParam, flFlags, ulReserved);
    putMessage(out, lpMessage);
    fputs("}\n", out);
    fclose(out);
  }
  const char *sleepMs = getenv("KURIER_MAPI_STUB_SLEEP_MS");
  if (sleepMs != NULL) {
    long ms = strtol(sleepMs, NULL, 10);
    struct timespec wait = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&wait, NULL);
  }
  if (getenv("KURIER_MAPI_STUB_CRASH") != NULL) raise(SIGSEGV);
  const char *result = getenv("KURIER_MAPI_STUB_RESULT");
  return result == NULL ? 0 : (ULONG)strtoul(result, NULL, 10);
}
