package agent

import (
	"net"

	"golang.org/x/sys/unix"
)

// peerUID reads the connecting process's uid from the kernel
// (SO_PEERCRED): it cannot be forged by the client, unlike anything the
// client sends.
func peerUID(c net.Conn) (int, error) {
	return peerUIDBy(c, func(fd int) (int, error) {
		cred, err := unix.GetsockoptUcred(fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
		if err != nil {
			return -1, err
		}
		return int(cred.Uid), nil
	})
}
