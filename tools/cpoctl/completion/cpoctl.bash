# bash completion for cpoctl: commands and subcommands (from `cpoctl help --all`), options (from
# `cpoctl COMMAND --help`), and the values of a few options. Installed as
# share/bash-completion/completions/cpoctl.

_cpoctl() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  local cpoctl=${COMP_WORDS[0]}

  case $prev in
    --platform|--write-log|--simd) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --sim) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --log-level) COMPREPLY=($(compgen -W "trace debug info warn error" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "table json prometheus" -- "$cur")); return ;;
    --kind) COMPREPLY=($(compgen -W "media-output media-input host-output host-input near-end far-end" -- "$cur")); return ;;
    --side) COMPREPLY=($(compgen -W "host media" -- "$cur")); return ;;
    --pattern) COMPREPLY=($(compgen -W "PRBS7 PRBS7Q PRBS9 PRBS9Q PRBS13 PRBS13Q PRBS15 PRBS15Q PRBS23 PRBS23Q PRBS31 PRBS31Q" -- "$cur")); return ;;
  esac

  # The command path typed so far: words that are not options or option values.
  local -a path=()
  local i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    case $word in
      --platform|--sim|--log-level|--write-log|--simd|--format|--kind|--side|--pattern|--lanes|--page|--bank|--app|--interval|--count|--time-scale|--timeout|--lane) ((i++)) ;;
      -*) ;;
      *) path+=("$word") ;;
    esac
  done

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$("$cpoctl" "${path[@]}" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
    return
  fi
  # The next word of every command that continues the path.
  local prefix="${path[*]}"
  local next
  next=$("$cpoctl" help --all 2>/dev/null | sed -E 's/  +.*//' | awk -v prefix="$prefix" '
    {
      n = split($0, words, " ")
      m = (prefix == "") ? 0 : split(prefix, typed, " ")
      if (n != m + 1) next
      for (k = 1; k <= m; k++) if (words[k] != typed[k]) next
      print words[n]
    }')
  COMPREPLY=($(compgen -W "$next" -- "$cur"))
}
complete -F _cpoctl cpoctl
