#!/bin/bash
# After removing the deb/rpm (electron-builder fills ${…}): /usr/bin/kurier goes when it is still our link
# and the launcher it points to is gone. An upgrade runs this too — dpkg after unpacking the new version,
# rpm after installing it — and then the launcher is there again, so the link stays.

launcher='/opt/${sanitizedProductName}/resources/cli/kurier'
if [ -L '/usr/bin/kurier' ] && [ "$(readlink '/usr/bin/kurier')" = "$launcher" ] && [ ! -e "$launcher" ]; then
    rm -f '/usr/bin/kurier'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'
# Remove and unload the AppArmor profile (not inside a chroot), as electron-builder does.
if [ -f "$APPARMOR_PROFILE_DEST" ] && [ ! -e '/opt/${sanitizedProductName}/${executable}' ]; then
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi
