# bash completion for moeplan(1)                          -*- shell-script -*-
#
# Subcommands and their options are read from the program itself
# (`moeplan --help`, `moeplan COMMAND --help`), and each command's formats
# from `moeplan COMMAND --format help`, so they follow the program;
# model and law names from `moeplan laws list` and `moeplan laws show`;
# hardware profiles and architectures from `moeplan list`, which searches
# as --hardware and --arch do.  Needs bash 4; works with or without the
# bash-completion package.  `make install` puts it where bash-completion
# loads completions from, under the command's name.

# The names of what is installed of a kind (hardware, arch), as the
# program's own search finds them (`moeplan list KIND`).
_moeplan_installed()
{
	"$1" list "$2" 2>/dev/null | awk '{ print $1 }'
}

# Options of a help text on stdin: the first column of lines that start
# with blanks and a dash ("  --from X, --to Y   ..." gives --from, --to).
_moeplan_help_options()
{
	awk '/^ +-/ {
		sub(/^ +/, "")
		i = index($0, "  ")
		spec = i ? substr($0, 1, i - 1) : $0
		n = split(spec, w, /[ ,]+/)
		for (j = 1; j <= n; j++)
			if (w[j] ~ /^-/)
				print w[j]
	}'
}

# Model names, or MODEL:LAW when the word has a colon.
_moeplan_laws()
{
	local prog=$1 cur=$2 mdir=$3
	local -a dir=()
	[[ -n $mdir ]] && dir=(--models-dir "$mdir")
	if [[ $cur == *:* ]]; then
		"$prog" laws show "${cur%%:*}" "${dir[@]}" 2>/dev/null |
			awk '/^law / { print $2 }'
	else
		"$prog" laws list "${dir[@]}" 2>/dev/null | awk '{ print $1 }'
	fi
}

# VAR= for each variable of law MODEL[:LAW] (the eval command).
_moeplan_vars()
{
	local prog=$1 spec=$2 mdir=$3
	local -a dir=()
	[[ -n $mdir ]] && dir=(--models-dir "$mdir")
	"$prog" laws show "$spec" "${dir[@]}" 2>/dev/null | awk -v law="$spec" '
		/^law / { on = (law !~ /:/ || $2 == law) }
		/^  [a-z]/ { invars = 0 }
		/^  variables/ { invars = 1; next }
		on && invars && /^    [A-Za-z_]/ { print $1 "=" }'
}

# Replies from a word list, and file names for a FILE argument.
_moeplan_words() { COMPREPLY+=($(compgen -W "$1" -- "$2")); }
_moeplan_files()
{
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -f -- "$1"))
}
_moeplan_dirnames()
{
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -d -- "$1"))
}

_moeplan()
{
	local line=${COMP_LINE:0:COMP_POINT}
	local cur=${line##*[[:space:]]}
	local -a words pos=()
	read -r -a words <<<"${line%"$cur"}"
	local prog=${words[0]:-moeplan} cmd= prev= mdir= valued= i w
	COMPREPLY=()
	prog=${prog/#\~/$HOME}

	# the command, the word before the cursor, --models-dir, positionals
	for ((i = 1; i < ${#words[@]}; i++)); do
		w=${words[i]}
		if [[ -z $cmd && $w != -* ]]; then
			cmd=$w
		elif [[ -n $cmd && $w != -* && ${words[i-1]} != -* ]]; then
			pos+=("$w")
		fi
		[[ ${words[i-1]} == --models-dir ]] && mdir=$w
	done
	((${#words[@]} > 1)) && prev=${words[${#words[@]}-1]}

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			_moeplan_words "--help --version" "$cur"
		else
			_moeplan_words "$("$prog" --help 2>/dev/null |
				awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')" "$cur"
		fi
		return 0
	fi

	# the value of the option before the cursor
	valued=1
	case $prev in
	--laws)
		_moeplan_words "$(_moeplan_laws "$prog" "$cur" "$mdir")" "$cur"
		[[ $cur == *:* ]] || _moeplan_files "$cur"
		;;
	--data-law)
		_moeplan_words "$(_moeplan_installed "$prog" models)" "$cur"
		_moeplan_files "$cur"
		;;
	--hparams)
		_moeplan_words "deepseek2024 none" "$cur"
		_moeplan_files "$cur"
		;;
	--models-dir) _moeplan_dirnames "$cur" ;;
	--path) _moeplan_words "dense moe upcycle all" "$cur" ;;
	--unit) _moeplan_words "flops hours usd" "$cur" ;;
	--format)
		# the command's formats, one a line, from the program's sink table
		_moeplan_words "$("$prog" "$cmd" --format help 2>/dev/null)" "$cur"
		;;
	--hardware)
		_moeplan_words "$(_moeplan_installed "$prog" hardware)" "$cur"
		_moeplan_files "$cur"
		;;
	--arch)
		[[ $cmd == flops || $cmd == cost ]] &&
			_moeplan_words "$(_moeplan_installed "$prog" arch)" "$cur"
		_moeplan_files "$cur"
		;;
	--output) _moeplan_files "$cur" ;;
	--backend)
		# a back end's line starts with its name; the lines under it
		# (whether it runs here) start with spaces
		_moeplan_words "$("$prog" calibrate --list-backends 2>/dev/null |
			awk '/^[^ ]/ { print $1 }')" "$cur"
		;;
	--mlp) _moeplan_words "swiglu geglu gelu relu" "$cur" ;;
	--layout)
		# KEY=VALUE,...: the keys after the last comma, then recompute's words
		local head=${cur%"${cur##*,}"} last=${cur##*,}
		compopt -o nospace 2>/dev/null
		if [[ $last == recompute=* ]]; then
			COMPREPLY+=($(compgen -P "${head}recompute=" \
				-W "none selective full auto" -- "${last#recompute=}"))
		elif [[ $last != *=* ]]; then
			COMPREPLY+=($(compgen -P "$head" \
				-W "tp= pp= dp= ep= zero= recompute= mb=" -- "$last"))
		fi
		;;
	-*)
		# another option with a value (a number, a spec): nothing to offer;
		# the help shows it as "  --opt ARG" (a flag has no ARG)
		"$prog" "$cmd" --help 2>/dev/null |
			grep -Eq -- "^ +(-[a-zA-Z], )?$prev [^ -]" || valued=
		;;
	*) valued= ;;
	esac
	if [[ -n $valued ]]; then
		[[ $cur == *:* ]] && COMPREPLY=("${COMPREPLY[@]#"${cur%:*}":}")
		return 0
	fi

	if [[ $cur == -* ]]; then
		_moeplan_words "$("$prog" "$cmd" --help 2>/dev/null | _moeplan_help_options)" "$cur"
		return 0
	fi

	# positional words
	case $cmd in
	laws)
		case ${#pos[@]}:${pos[0]-} in
		0:) _moeplan_words "list show check" "$cur" ;;
		*:show) _moeplan_words "$(_moeplan_laws "$prog" "$cur" "$mdir")" "$cur" ;;
		*:check) _moeplan_files "$cur" ;;
		esac
		;;
	list)
		((${#pos[@]} == 0)) && _moeplan_words "models hardware arch" "$cur"
		;;
	eval)
		if ((${#pos[@]} == 0)); then
			_moeplan_words "$(_moeplan_laws "$prog" "$cur" "$mdir")" "$cur"
		else
			compopt -o nospace 2>/dev/null
			_moeplan_words "$(_moeplan_vars "$prog" "${pos[0]}" "$mdir")" "$cur"
		fi
		;;
	esac
	[[ $cur == *:* ]] && COMPREPLY=("${COMPREPLY[@]#"${cur%:*}":}")
	return 0
}

complete -F _moeplan moeplan
