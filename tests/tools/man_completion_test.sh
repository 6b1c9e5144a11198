#!/usr/bin/env bash
# cpoctl's man page and bash completion against the program itself: every command `cpoctl help
# --all` lists is in the man page; the page renders without warnings; completion offers
# commands, subcommands and options; `cmake --install` puts cpoctl, the page and the completion
# where man and bash-completion look.
# Usage: man_completion_test.sh CPOCTL SOURCE_DIR BUILD_DIR
set -euo pipefail
cpoctl=$1 source_dir=$2 build_dir=$3
page=$source_dir/docs/man/cpoctl.1
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

while IFS= read -r command; do
  escaped=${command//-/\\-}
  grep -qF ".B cpoctl $escaped" "$page" || fail "man page lacks 'cpoctl $command' (docs/man/cpoctl.1)"
done < <("$cpoctl" help --all | sed -E 's/  +.*//')

if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww "$page" 2>&1 >/dev/null || true)
  [[ -z $warnings ]] || fail "groff warnings: $warnings"
fi

# Completion, as bash calls it.
source "$source_dir/tools/cpoctl/completion/cpoctl.bash"
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _cpoctl
  echo "${COMPREPLY[*]}"
}
got=$(complete_words "$cpoctl" "")
[[ " $got " == *" show "* && " $got " == *" sim "* && " $got " == *" telemetry "* ]] || fail "top level: $got"
got=$(complete_words "$cpoctl" --platform x.yaml sim inject l)
[[ $got == "laser-fail laser-pull" ]] || fail "sim inject l: '$got'"
got=$(complete_words "$cpoctl" port b)
[[ $got == "breakout" ]] || fail "port b: '$got'"
got=$(complete_words "$cpoctl" telemetry --f)
[[ $got == "--format" ]] || fail "telemetry --f: '$got'"
got=$(complete_words "$cpoctl" telemetry --format p)
[[ $got == "prometheus" ]] || fail "--format p: '$got'"

# Install layout.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
DESTDIR=$stage cmake --install "$build_dir" --prefix /usr >/dev/null
for file in usr/bin/cpoctl usr/share/man/man1/cpoctl.1 usr/share/bash-completion/completions/cpoctl; do
  [[ -e $stage/$file ]] || fail "cmake --install did not install /$file"
done

if ((failures > 0)); then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "man page and completion: ok"
