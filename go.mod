module github.com/cmdr-sh/cmdr

go 1.26.0

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/mattn/go-isatty v0.0.24
	github.com/ollama/ollama v0.17.4
	golang.org/x/sys v0.50.0
)

require (
	github.com/chzyer/readline v1.5.1
	github.com/creack/pty v1.1.24
	mvdan.cc/sh/v3 v3.14.1
)
