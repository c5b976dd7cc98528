package agent

import (
	"net"

	"golang.org/x/sys/unix"
)

// peerUID reads the connecting process's uid with LOCAL_PEERCRED.
func peerUID(c net.Conn) (int, error) {
	return peerUIDBy(c, func(fd int) (int, error) {
		cred, err := unix.GetsockoptXucred(fd, unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
		if err != nil {
			return -1, err
		}
		return int(cred.Uid), nil
	})
}
