//go:build linux

package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: what is written to master is
// typed at slave.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pseudo-terminal number: %v", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open the pseudo-terminal's slave: %v", err)
	}
	t.Cleanup(func() { slave.Close() })
	// Drain what the terminal echoes, so that it never blocks.
	go io.Copy(io.Discard, master)
	return master, slave
}

func TestReadPasswordFromTerminal(t *testing.T) {
	const good = "correct horse battery staple"
	for _, tc := range []struct {
		name, typed string
		want        string // the password, or "" for an error
		prompts     []string
		err         string
	}{
		{"confirmed", good + "\n" + good + "\n", good, []string{"New password for ed@example.org: ", "Repeat it: "}, ""},
		{"weak, then good", "short\n" + good + "\n" + good + "\n", good, []string{"too short", "try again"}, ""},
		{"mistyped once", good + "\n" + good + "x\n" + good + "\n" + good + "\n", good, []string{"The two passwords differ; try again."}, ""},
		{"never confirmed", strings.Repeat(good+"\n"+good+"x\n", 3), "", nil, "the two passwords differ"},
		{"weak three times", "a\nb\nc\n", "", nil, "too short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			master, slave := openPTY(t)
			if _, err := io.WriteString(master, tc.typed); err != nil {
				t.Fatal(err)
			}
			var prompt bytes.Buffer
			got, err := readNewPassword(Stdio{In: slave, Out: io.Discard, Err: &prompt}, "ed@example.org")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("readNewPassword = %q, %v; want an error saying %q", got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("readNewPassword = %q, %v; want %q", got, err, tc.want)
			}
			for _, p := range tc.prompts {
				if !strings.Contains(prompt.String(), p) {
					t.Errorf("prompts %q lack %q", prompt.String(), p)
				}
			}
			if strings.Contains(prompt.String(), good) {
				t.Error("the password was echoed to the prompt stream")
			}
		})
	}
}
