package translate

import (
	"slices"
	"strings"
	"testing"
)

func TestRiskTable(t *testing.T) {
	cases := []struct {
		cmd  string
		want Level
	}{
		// High: destroys data or the system.
		{"rm -rf /", RiskHigh},
		{"rm -rf /*", RiskHigh},
		{"sudo rm -rf /", RiskHigh},
		{"sudo  rm -r -f /", RiskHigh},
		{"rm -fr ~", RiskHigh},
		{"rm -rf $HOME", RiskHigh},
		{`rm -rf "$HOME"/*`, RiskHigh},
		{"rm -rf *", RiskHigh},
		{"rm -rf .", RiskHigh},
		{"rm -R /etc", RiskHigh},
		{"rm --recursive --force /usr/", RiskHigh},
		{"rm -rf --no-preserve-root /", RiskHigh},
		{"cd /tmp && rm -rf /", RiskHigh},
		{"echo hi; rm -rf ~/", RiskHigh},
		{"find / -name '*.log' -delete", RiskHigh},
		{"find ~ -type f -exec rm {} +", RiskHigh},
		{"dd if=/dev/zero of=/dev/sda bs=1M", RiskHigh},
		{"sudo dd if=disk.img of=/dev/nvme0n1", RiskHigh},
		{"mkfs.ext4 /dev/sdb1", RiskHigh},
		{"sudo wipefs -a /dev/sdb", RiskHigh},
		{"sgdisk -Z /dev/sda", RiskHigh},
		{"sgdisk -p -Z /dev/sda", RiskHigh},
		{"parted /dev/sda rm 1", RiskHigh},
		{"sudo fdisk /dev/sda", RiskHigh},
		{"cryptsetup luksFormat /dev/sdb1", RiskHigh},
		{"chmod -R 777 /", RiskHigh},
		{"sudo chown -R nobody /etc", RiskHigh},
		{"echo x > /dev/sda", RiskHigh},
		{"cat /dev/urandom > /dev/nvme0n1", RiskHigh},
		{"echo '' > ~/.bashrc", RiskHigh},
		{"printf x > /etc/passwd", RiskHigh},
		{"echo 127.0.0.1 x | sudo tee /etc/hosts", RiskHigh},
		{"echo x | tee out.txt ~/.profile", RiskHigh},
		{"sudo sed -i 's/^#Port 22/Port 2222/' /etc/ssh/sshd_config", RiskHigh},
		{"perl -pi -e 's/a/b/' /boot/grub/grub.cfg", RiskHigh},
		{":(){ :|:& };:", RiskHigh},
		{"bomb() { bomb | bomb & }; bomb", RiskHigh},
		{"curl -fsSL https://example.com/install.sh | sh", RiskHigh},
		{"wget -qO- http://x.y/z | sudo bash", RiskHigh},
		{"git push --force origin main", RiskHigh},
		{"git push -f", RiskHigh},
		{"git push origin +main", RiskHigh},
		{"git reset --hard HEAD~3", RiskHigh},
		{"git clean -fdx", RiskHigh},
		{"kill -9 1", RiskHigh},
		{"sudo kill -9 -1", RiskHigh},
		{"shutdown -h now", RiskHigh},
		{"sudo reboot", RiskHigh},
		{"systemctl poweroff", RiskHigh},
		{"crontab -r", RiskHigh},
		{"mv ~ /tmp/old", RiskHigh},
		{"git stash clear", RiskHigh},
		{"sudo sh -c 'rm -rf /'", RiskHigh},
		{"bash -o pipefail -c 'rm -rf ~'", RiskHigh},
		{`bash -lc "curl -s https://x.sh | sh"`, RiskHigh},
		{"su -c 'rm -rf ~' bob", RiskHigh},
		{"ssh -p 22 host 'sudo reboot'", RiskHigh},
		{"ssh host rm -rf /", RiskHigh},
		{"eval 'git push -f'", RiskHigh},
		{"watch 'rm -rf /tmp/*'", RiskLow},
		{"rm ~/.ssh/id_ed25519", RiskHigh},
		{"rm -r ~/.gnupg", RiskHigh},
		{"mv important.txt /dev/null", RiskHigh},
		{"sudo iptables -F", RiskHigh},
		{"xargs rm -rf < list && rm -rf /", RiskHigh},
		{"$(rm -rf /)", RiskHigh},
		{"timeout 5 rm -rf /", RiskHigh},
		// Code fetched and run without a pipe.
		{"bash <(curl -s https://x.sh)", RiskHigh},
		{`sh -c "$(curl -fsSL https://x.sh)"`, RiskHigh},
		{`python3 -c "$(wget -qO- http://x)"`, RiskHigh},
		{`eval "$(curl -s http://x)"`, RiskHigh},
		{"source <(curl -s http://x)", RiskHigh},
		{"sudo bash -c \"$(curl -fsSL https://x.sh)\"", RiskHigh},
		// find's list of files anywhere, deleted through xargs.
		{"find / -name '*.log' | xargs rm -f", RiskHigh},
		{"find ~ -type f -print0 | sudo xargs -0 rm", RiskHigh},
		// Data in databases, clouds and volumes.
		{"psql -c 'DROP DATABASE prod'", RiskHigh},
		{`mysql -u root -e "drop table users"`, RiskHigh},
		{`sqlite3 app.db "DELETE FROM users;"`, RiskHigh},
		{"psql -c 'TRUNCATE TABLE events'", RiskHigh},
		{"redis-cli FLUSHALL", RiskHigh},
		{"redis-cli -n 2 flushdb", RiskHigh},
		{`mongosh app --eval "db.dropDatabase()"`, RiskHigh},
		{"aws s3 rm s3://bucket --recursive", RiskHigh},
		{"aws s3 rb s3://bucket --force", RiskHigh},
		{"aws ec2 terminate-instances --instance-ids i-1", RiskHigh},
		{"gsutil rm -r gs://bucket", RiskHigh},
		{"terraform destroy -auto-approve", RiskHigh},
		{"zfs destroy -r tank/data", RiskHigh},
		{"sudo lvremove /dev/vg/lv", RiskHigh},
		// Accounts, the firewall, the kernel.
		{"sudo passwd -d root", RiskHigh},
		{"sudo userdel -r bob", RiskHigh},
		{"sudo iptables -P INPUT DROP", RiskHigh},
		{"echo c | sudo tee /proc/sysrq-trigger; echo b > /proc/sysrq-trigger", RiskHigh},
		// A wrapper's option values are not the wrapped program.
		{"ls | xargs -n 1 rm -rf /", RiskHigh},
		{"xargs -P 4 -n 1 rm -rf ~", RiskHigh},
		{`xargs -d "\n" rm -rf /`, RiskHigh},
		{"xargs -I {} rm -rf /", RiskHigh},
		{"timeout -s KILL 10 rm -rf /", RiskHigh},
		{"timeout --signal KILL 5 rm -rf /", RiskHigh},
		{"timeout -k5 10 rm -rf /", RiskHigh},
		{"env -u HOME rm -rf /", RiskHigh},
		{"env -C /tmp A=1 rm -rf /", RiskHigh},
		{"ionice -c 3 rm -rf /", RiskHigh},
		{"watch -n 5 rm -rf /", RiskHigh},
		{"sudo -iu root rm -rf /", RiskHigh},
		{"sudo -u root -g wheel rm -rf /", RiskHigh},
		{"sudo --user root rm -rf /", RiskHigh},
		{"sudo -- rm -rf /", RiskHigh},
		{"nice -n 19 ionice -c2 -n7 rm -rf /", RiskHigh},
		{"stdbuf -o L rm -rf /", RiskHigh},
		{"doas -u root rm -rf /", RiskHigh},
		{"env FOO=1 rm -rf ~", RiskHigh},
		{"docker system prune -af", RiskHigh},
		{`rm -rf "$DIR"/`, RiskHigh},
		{"rm -rf $BUILD_DIR/*", RiskHigh},
		{"rm -rf ../*", RiskHigh},
		{"chmod 000 /", RiskHigh},
		{"rsync -a --delete src/ /", RiskHigh},
		{"rsync -a --delete-after backup/ ~", RiskHigh},
		{"sudo tar -xzf rootfs.tgz -C /", RiskHigh},
		{"tar xf etc.tar --directory=/etc", RiskHigh},
		{"docker system prune --volumes", RiskHigh},
		{"podman volume prune -f", RiskHigh},
		{"docker volume rm pgdata", RiskHigh},
		{"docker image prune --all", RiskHigh},
		{"kubectl delete namespace staging", RiskHigh},
		{"kubectl delete pods --all", RiskHigh},

		// Low: changes or deletes something specific, or needs root.
		{"rm notes.txt", RiskLow},
		{"rm -rf build/", RiskLow},
		{"rm -rf ./node_modules", RiskLow},
		{"sudo apt install ripgrep", RiskLow},
		{"chmod +x script.sh", RiskLow},
		{"chmod -R 755 public", RiskLow},
		{"find . -name '*.tmp' -delete", RiskLow},
		{"git push --force-with-lease", RiskLow},
		{"git checkout -- .", RiskLow},
		{"kill 12345", RiskLow},
		{"pkill firefox", RiskLow},
		{"dd if=/dev/zero of=file.img bs=1M count=10", RiskNone},
		{"systemctl restart nginx", RiskLow},
		{"truncate -s 0 app.log", RiskLow},
		{"docker system prune", RiskLow},
		{"rsync -av --delete src/ dst/", RiskLow},
		{"rsync --delete", RiskLow}, // no destination given: no crash
		{"history -c", RiskLow},
		{"chmod 755 /srv/www", RiskLow}, // not the root itself
		{`rm -rf "${DIR:?}"/`, RiskLow}, // stops when DIR is empty
		{"docker rm -f web", RiskLow},
		{"docker rmi nginx:old", RiskLow},
		{"git push origin :old-feature", RiskLow},
		{"git push --delete origin old-feature", RiskLow},
		{"aws s3 rm s3://bucket/one.txt", RiskLow},
		{"helm uninstall web", RiskLow},
		{"terraform apply -auto-approve", RiskLow},
		{"sudo userdel bob", RiskLow},
		{`psql -c "DELETE FROM users WHERE id = 3"`, RiskNone},
		{"docker container rm web", RiskLow},
		{"kubectl delete pod web-0", RiskLow},
		{"sudo apt remove python3", RiskLow},
		{"pip uninstall requests", RiskLow},
		{"sudo pacman -Rns vim", RiskLow},
		{"if then fi (", RiskLow}, // does not parse
		// Onto a settings file of yours or the system's: what it held is
		// gone; the files needed to start or log in are high.
		{"cp x ~/.bashrc", RiskLow},
		{"mv bashrc.new ~/.bashrc", RiskLow},
		{"ln -sf /dev/null ~/.bash_history", RiskLow},
		{"sudo install -m 644 app.conf /etc/app.conf", RiskLow},
		{"sudo cp passwd.bak /etc/passwd", RiskHigh},
		{"sudo mv sudoers.new /etc/sudoers.d/me", RiskHigh},
		{"cp -b x ~/.bashrc", RiskNone},
		{"cp -n x ~/.bashrc", RiskNone},
		{"ln -s x ~/.vimrc", RiskNone}, // fails where it exists
		{"cp -t ~/.config a b", RiskNone},
		{"cp ~/.bashrc ~/bashrc.bak", RiskNone},
		// Into / itself, or a system directory; the destination is not
		// what is moved.
		{"sudo cp -r build/* /", RiskHigh},
		{"mv x /", RiskHigh},
		{"sudo mv tool /usr/bin", RiskLow},
		{"mv -t /usr/bin tool", RiskLow},
		{"mv notes.txt ~", RiskNone},
		{"mv --target-directory=old a b", RiskNone},
		{"mv -t ~/.ssh/old ~/.ssh/id_rsa", RiskLow},
		{"rm -rf .git", RiskHigh},
		{"rm -rf project/.git/", RiskHigh},
		{"rm -f .gitignore", RiskLow},
		{"docker compose down -v", RiskHigh},
		{"docker-compose down --volumes", RiskHigh},
		{"docker compose down", RiskNone},
		{"gpg --delete-secret-keys ABCD", RiskHigh},
		{"gpg --delete-key ABCD", RiskLow},
		{"gh repo delete me/old --yes", RiskHigh},
		{"gh repo view", RiskNone},
		{"dropdb prod", RiskHigh},
		{"mysqladmin drop shop", RiskHigh},
		{"mysqladmin status", RiskNone},
		{"kubectl drain node1 --ignore-daemonsets", RiskLow},
		{"virsh undefine vm1 --remove-all-storage", RiskHigh},
		{"virsh destroy vm1", RiskLow},
		{"virsh list --all", RiskNone},
		{"usermod -G docker bob", RiskHigh},
		{"sudo usermod -aG docker bob", RiskLow}, // sudo
		{"usermod -a -G docker bob", RiskNone},
		{"usermod -r -G sudo bob", RiskNone}, // leaves only those
		{"kubectl delete ns staging --dry-run=client", RiskNone},
		{"setenforce 0", RiskLow},
		{"git reflog expire --expire=now --all", RiskLow},
		{"git reflog", RiskNone},
		{"gcloud projects delete my-proj", RiskHigh},
		{"gcloud compute instances delete vm1", RiskLow},
		{"az group delete -n rg1 --yes", RiskHigh},
		{"az vm delete -n vm1", RiskLow},
		{"rclone purge remote:old", RiskHigh},
		{"rclone sync src remote:dst", RiskLow},
		{"rclone copy src remote:dst", RiskNone},
		{"s3cmd del --recursive s3://b", RiskHigh},
		{"s3cmd ls s3://b", RiskNone},
		{"npm unpublish pkg --force", RiskHigh},
		{"git tag -d v1.0", RiskLow},
		{"terraform state rm aws_instance.x", RiskLow},
		{"terraform state list", RiskNone},
		{"sudo ip link set eth0 down", RiskLow},
		{"ip l s eth0 down", RiskLow},
		{"ip link set eth0 up", RiskNone},
		{"nmcli networking off", RiskLow},
		{"nmcli con down home-wifi", RiskLow},
		{"nmcli con show", RiskNone},
		{"ifconfig eth0 down", RiskLow},
		{"crontab jobs.txt", RiskLow},
		{"crontab -l", RiskNone},
		{"journalctl --vacuum-time=2d", RiskLow},
		{"journalctl -u nginx", RiskNone},
		{"sysctl -w vm.swappiness=10", RiskLow},
		{"sysctl vm.swappiness", RiskNone},
		{"sudo chmod 644 /etc/shadow", RiskHigh},
		{"sudo chown bob /etc/sudoers", RiskHigh},
		{"chmod 600 ~/.ssh/config", RiskLow},
		{"truncate -s 0 /etc/hosts", RiskHigh},
		// A connection's checks turned off.
		{"curl -sSLk https://x", RiskLow},
		{"curl --insecure -O https://x/f", RiskLow},
		{"wget --no-check-certificate https://x", RiskLow},
		{"ssh -o StrictHostKeyChecking=no host", RiskLow},
		{"ssh -oUserKnownHostsFile=/dev/null host", RiskLow},
		{`scp -o "StrictHostKeyChecking no" f host:`, RiskLow},
		{"rsync -e 'ssh -o StrictHostKeyChecking=no' a host:", RiskLow},
		{"git config --global http.sslVerify false", RiskLow},
		{"git -c http.sslVerify=false clone https://x", RiskLow},
		{"export NODE_TLS_REJECT_UNAUTHORIZED=0", RiskLow},
		{"GIT_SSL_NO_VERIFY=true git pull", RiskLow},
		{"npm config set strict-ssl false", RiskLow},
		{"pip install --trusted-host pypi.org x", RiskLow},
		{"kubectl get pods --insecure-skip-tls-verify", RiskLow},
		{"curl -sSL https://x", RiskNone},
		{"ssh -o StrictHostKeyChecking=accept-new host", RiskNone},
		{"git config --global http.sslVerify true", RiskNone},
		{"GIT_SSL_NO_VERIFY=0 git pull", RiskNone},
		// A password on the command line.
		{"mysql -u root -pS3cret shop", RiskLow},
		{"mysqldump --password=S3cret shop", RiskLow},
		{"mysql -u root -p shop", RiskNone}, // asks for it
		{"curl -u me:S3cret https://x", RiskLow},
		{"curl -u me https://x", RiskNone}, // asks for it
		{"sshpass -p S3cret ssh host", RiskLow},
		{"docker login -u me -p S3cret", RiskLow},
		{"docker run -p 8080:80 nginx", RiskNone},
		{"git clone https://me:TOKEN@github.com/me/r", RiskLow},
		{"git clone https://github.com/me/r", RiskNone},
		{"openssl rsa -in k.pem -passin pass:S3cret", RiskLow},
		// bash's >&file is &>file.
		{"echo x >&/etc/passwd", RiskHigh},
		{"cat /dev/zero >& /dev/sda", RiskHigh},
		{": >& app.log", RiskLow},
		{"echo x >&2", RiskNone},
		{"exec 3>&-", RiskNone},
		{`echo x >&"$fd"`, RiskNone},
		// The kernel's settings.
		{"echo 10 | sudo tee /proc/sys/vm/swappiness", RiskLow},
		{"echo 1 > /sys/block/sdb/device/delete", RiskLow},
		{"cat /proc/sys/vm/swappiness", RiskNone},
		{"echo b | tee /proc/sysrq-trigger", RiskHigh},
		// A PATH without the system's directories.
		{"export PATH=/opt/bin", RiskLow},
		{"PATH=~/bin", RiskLow},
		{"unset PATH", RiskLow},
		{"export PATH=/opt/bin:$PATH", RiskNone},
		{`export PATH="$HOME/bin:${PATH}"`, RiskNone},
		{"PATH+=:/opt/bin", RiskNone},
		{"PATH=/usr/local/bin:/usr/bin:/bin", RiskNone},
		{"PATH=$(getconf PATH)", RiskNone},
		{"PATH=/opt/bin ls", RiskNone}, // only ls's
		{"path=(/opt/bin)", RiskNone},  // bash: a variable like any

		// None: reads, or only looks dangerous as text.
		{"ls -la", RiskNone},
		{"echo 'rm -rf /'", RiskNone},
		{`echo "rm -rf /"`, RiskNone},
		{"grep -r 'rm -rf' .", RiskNone},
		{"find . -name '*.go' | xargs wc -l", RiskNone},
		{"kill -l", RiskNone},
		{"kill -0 1234 && echo alive", RiskNone},
		{"kill -9 1234", RiskLow},
		{"du -sh * | sort -h", RiskNone},
		{"cat /etc/passwd", RiskNone},
		{"ls > /dev/null 2>&1", RiskNone},
		{"echo hi >> ~/.bashrc", RiskNone},
		{"echo x | tee -a notes.txt", RiskNone},
		{"echo x | tee out.txt", RiskNone},
		{"sed -i 's/a/b/' notes.txt", RiskNone},
		{"sed -i '/etc/d' notes.txt", RiskNone},
		{"sed 's/a/b/' /etc/hosts", RiskNone},
		{"echo x | sudo tee -a /etc/hosts", RiskLow},
		{"echo x >> /etc/hosts", RiskLow},
		{"sed -i.bak 's/a/b/' ~/.bashrc", RiskLow},
		{"echo x | tee /usr/local/etc/x.conf", RiskNone},
		{"git restore .", RiskLow},
		{"git restore --staged --worktree x.go", RiskLow},
		{"git restore --staged .", RiskNone},
		{"git stash drop", RiskLow},
		{"git stash pop", RiskNone},
		{"sh -c 'echo hi'", RiskNone},
		{"ssh host uptime", RiskNone},
		{"ssh -i key host ls -la", RiskNone},
		{`bash -c "$CMD"`, RiskNone},
		{"npm uninstall -g typescript", RiskLow},
		{"npm install -g typescript", RiskNone},
		{"rm ~/.ssh/known_hosts.old", RiskLow},
		{"rm ~/.ssh/id_rsa.pub", RiskLow},
		{"rm -rf ~/.ssh/", RiskHigh},
		{"rm ~/.sshrc", RiskLow},
		{"curl -s https://example.com | jq .", RiskNone},
		{"git push origin main", RiskNone},
		{"git status", RiskNone},
		{"tar -czf logs.tgz logs/", RiskNone},
		{"ps aux | grep nginx", RiskNone},
		{"dd if=/dev/sda of=disk.img", RiskNone},
		{"docker ps -a", RiskNone},
		{"kubectl get pods -A", RiskNone},
		{"sudo fdisk -l", RiskLow},
		{"sgdisk --print /dev/sda", RiskNone},
		{"sudo parted -l", RiskLow},
		{"parted /dev/sda print", RiskNone},
		{"sudo cryptsetup open /dev/sdb1 vault", RiskLow},
		{"wipefs /dev/sdb", RiskNone},
		{"wipefs -n -a /dev/sdb", RiskNone},
		{`psql -c "SELECT count(*) FROM users"`, RiskNone},
		{"redis-cli GET key", RiskNone},
		{"aws s3 ls s3://bucket", RiskNone},
		{"terraform plan", RiskNone},
		{`echo "$(curl -s https://api.ipify.org)"`, RiskNone},
		{"bash <(echo ls)", RiskNone},
		{"find . -name '*.o' | xargs rm", RiskLow},
		{"git push origin HEAD:main", RiskNone},
		{"apt list --installed", RiskNone},
		{"pacman -Qs vim", RiskNone},
		{"tar -xzf a.tgz -C ~/src", RiskNone},
		{"tar -czf etc.tgz -C / etc", RiskNone},
		{"rsync -av src/ /", RiskNone},
		// Emptying a file is the statement's only effect.
		{": > app.db", RiskLow},
		{"> log.txt", RiskLow},
		{"echo hi > notes.txt", RiskNone},
		{"true > /dev/null", RiskNone},
		{"ufw disable", RiskLow},
		{"ufw --force reset", RiskHigh},
		{"mv ~/.ssh /tmp", RiskLow},
		{"mv ~/.ssh/id_ed25519.pub /tmp", RiskNone},
		{"npm publish", RiskLow},
		{"cargo publish --dry-run", RiskNone},
	}
	for _, c := range cases {
		got := ClassifyRisk(c.cmd, "bash")
		if got.Level != c.want {
			t.Errorf("%-45q = %s %q, want %s", c.cmd, got.Level, got.Reasons, c.want)
		}
		if got.Level != RiskNone && len(got.Reasons) == 0 {
			t.Errorf("%q: %s without a reason", c.cmd, got.Level)
		}
	}
	if len(cases) < 40 {
		t.Fatal("the table must keep at least 40 cases")
	}
}

// chown and chgrp change who owns files, chmod what may be done with them.
func TestRiskSaysWhatChanges(t *testing.T) {
	for cmd, want := range map[string]string{
		"chown -R bob dir":         "chown changes ownership recursively",
		"sudo chgrp -R staff /etc": "chgrp -R changes the ownership of the system directory /etc",
		"chmod 600 f":              "chmod changes permissions",
	} {
		if got := ClassifyRisk(cmd, "bash"); !slices.Contains(got.Reasons, want) {
			t.Errorf("%q: reasons %q, want %q among them", cmd, got.Reasons, want)
		}
	}
}

func TestRiskOtherShells(t *testing.T) {
	if r := ClassifyRisk("rm -rf ~; and echo done", "fish"); r.Level != RiskHigh {
		t.Errorf("fish: %+v", r)
	}
	if r := ClassifyRisk("ls (pwd)", "fish"); r.Level != RiskNone {
		t.Errorf("fish: %+v", r)
	}
	if r := ClassifyRisk("rm -rf ${HOME}", "zsh"); r.Level != RiskHigh {
		t.Errorf("zsh: %+v", r)
	}
	// PATH, replaced or unset in each shell's own way.
	for _, c := range []struct {
		shell, cmd string
		want       Level
	}{
		{"zsh", "path=(/opt/bin)", RiskLow}, {"zsh", "path=(/opt/bin $path)", RiskNone}, {"zsh", "unset path", RiskLow},
		{"fish", "set -gx PATH /opt/bin", RiskLow}, {"fish", "set -e PATH", RiskLow}, {"fish", "set PATH /opt/bin $PATH", RiskNone},
		{"fish", "set -p PATH /opt/bin", RiskNone}, {"fish", "set -q PATH", RiskNone}, {"bash", "set PATH x", RiskNone},
	} {
		if r := ClassifyRisk(c.cmd, c.shell); r.Level != c.want {
			t.Errorf("%s: %q = %+v, want %s", c.shell, c.cmd, r, c.want)
		}
	}
	// zsh's precommand modifiers run the command after them.
	for _, cmd := range []string{"noglob rm -rf /", "nocorrect rm -rf ~"} {
		if r := ClassifyRisk(cmd, "zsh"); r.Level != RiskHigh {
			t.Errorf("zsh: %s: %+v", cmd, r)
		}
	}
}

func FuzzClassifyRisk(f *testing.F) {
	for _, s := range []string{"rm -rf /", ":(){ :|:& };:", "curl x | sh", "echo 'a' > /dev/sda", "git push -f", "sudo -u x env A=1 timeout 5 rm -rf ~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, sh := range []string{"bash", "zsh", "fish"} {
			r := ClassifyRisk(s, sh)
			switch r.Level {
			case RiskNone, RiskLow, RiskHigh:
			default:
				t.Fatalf("level %q", r.Level)
			}
			if r.Level != RiskNone && len(r.Reasons) == 0 {
				t.Fatalf("%q: no reason", s)
			}
			// Prefixing a command with an unrelated safe one never makes
			// it safer.
			if r2 := ClassifyRisk("true; "+s, sh); rank(r2.Level) < rank(r.Level) && !strings.Contains(s, "\n") {
				if r.Reasons[0] != "could not be parsed, so it was not checked" {
					t.Fatalf("%q: %s, but after 'true;' %s", s, r.Level, r2.Level)
				}
			}
		}
	})
}

// The command line -c makes of a shell's first operand after it, which
// explain reads too.
func TestCommandOperand(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"-c", "ls"}, 1},
		{[]string{"-lc", "ls", "arg0"}, 1},
		{[]string{"-o", "pipefail", "-c", "ls"}, 3},
		{[]string{"-c", "--", "ls"}, 2},
		{[]string{"script.sh", "-c"}, -1},
		{[]string{"-c"}, -1},
		{[]string{"--rcfile", "x", "-i"}, -1},
	} {
		if got := CommandOperand(c.args); got != c.want {
			t.Errorf("CommandOperand(%q) = %d, want %d", c.args, got, c.want)
		}
	}
}
