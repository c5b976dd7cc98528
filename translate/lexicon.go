package translate

import (
	"strings"
	"sync"
)

// Requests and manual pages describe the same things in different words:
// people say "folder", "delete" and "unzip", pages say "directory",
// "remove" and "decompress". synonymText maps request words to the words
// of the pages; a request word also keeps its own meaning.
const synonymText = `
folder subfolder subdirectory: directory
tree recursively recursive: directory hierarchy
delete erase: remove
unzip uncompress extract: decompress
zip: compress
permission permissions: mode
owner ownership: owner
kill terminate: signal process
running: process
logged login: login user
hostname: host name
kernel: system kernel
architecture: machine hardware
download fetch: url transfer
server remote: remote host
filetype: type
symlink symlinks: symbolic link
timezone: time zone
substitute: replace
backwards reverse: reverse
differ differences compare: compare difference
matching containing: pattern match
older newer modified changed: time modification
larger bigger greater smaller: size
largest biggest smallest: size
checksum hash: sum digest
`

// intentText maps request words to the programs usually meant by them,
// the knowledge a user has that a bag of words over manual pages lacks.
// A program counts only when it is installed.
const intentText = `
remove delete: rm find
permission permissions executable: chmod
owner ownership: chown
group: chgrp chown
compress: gzip tar bzip2 xz zip
decompress unzip uncompress gz: gunzip zcat tar unzip
archive tarball tar: tar
download: curl wget
disk space free: df
usage: du df
count: wc
process processes pid: ps kill pgrep
kernel architecture: uname
hostname: hostname uname
users logged: who w
whoami: whoami id
replace substitute: sed
field column columns: awk cut
first: head
last: tail
search under recursively tree subdirectories: find grep
containing matching pattern regex: grep
copy: cp rsync
move rename: mv
link symlink symlinks: ln find
create directory directories folder folders: mkdir find
compare differ differences: diff cmp comm
sort sorted: sort
unique: uniq sort
duplicate duplicates dupes: fdupes jdupes rdfind md5sum uniq
date time: date
mount remount: mount
swap: swapon free
memory: free
remote server ssh: ssh scp
write echo string message: echo printf
variable environment shell home: echo env printenv
commit branch merge rebase stash repository repo push pull clone checkout: git
ip address interface network: ip ifconfig
md5 checksum: md5sum sha256sum
lines: wc head tail sed
list listing: ls
contents content concatenate: cat
empty hidden older newer modified: find
size: du find ls
largest biggest smallest: du ls sort
compile compiler compiled: gcc cc g++ make
linker object: ld gcc
container containers: docker podman
kubernetes pod pods deployment deployments: kubectl
service services daemon: systemctl service
journal logs: journalctl
session sessions: tmux screen
hexadecimal hex hexdump: xxd hexdump od
package packages installed: dpkg apt apt-cache
shutdown poweroff reboot: shutdown systemctl reboot poweroff
partition partitions: lsblk fdisk
terminal tty: tty stty
`

type lexicon struct {
	synonyms map[string][]string
	intents  map[string][]string
}

// theLexicon is parsed on first use, its words stemmed like requests.
var theLexicon = sync.OnceValue(func() lexicon {
	parse := func(text string, stemValues bool) map[string][]string {
		m := map[string][]string{}
		for _, line := range strings.Split(text, "\n") {
			keys, values, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			vs := strings.Fields(values)
			if stemValues {
				vs = tokens(values)
			}
			for _, k := range tokens(keys) {
				for _, v := range vs {
					if !contains(m[k], v) {
						m[k] = append(m[k], v)
					}
				}
			}
		}
		return m
	}
	return lexicon{synonyms: parse(synonymText, true), intents: parse(intentText, false)}
})

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// expand adds the page words of q's synonyms to q.
func (l lexicon) expand(q []string) []string {
	out := append([]string(nil), q...)
	for _, w := range q {
		for _, s := range l.synonyms[w] {
			if !contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}
