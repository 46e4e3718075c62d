@echo off
rem `kurier` in the installed app (Windows): starts Kurier.exe as `Kurier.exe --cli -- ARGS...`, which runs
rem the command line and exits with its code (0 done, 1 some files refused, 2 bad usage). Installed as
rem resources\cli\kurier.cmd; the app is two folders up. The arguments are handed on as they were given.
rem For typing in a console only: cmd.exe reads & | ^ %%VAR%% in arguments as its own before this file runs,
rem so programs start Kurier.exe --cli -- ARGS... directly with an argument list (README, "The command line").
setlocal
set ELECTRON_RUN_AS_NODE=
"%~dp0..\..\Kurier.exe" --cli -- %*
exit /b %ERRORLEVEL%
