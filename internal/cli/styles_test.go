package cli

import (
	"strings"
	"testing"
)

func TestStyles(t *testing.T) {
	code, out, errOut := run(t, "", "styles")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2858+7999 {
		t.Errorf("styles lists %d styles, want %d", len(lines), 2858+7999)
	}
	if !strings.Contains(out, "\napa\tAPA Style 7th edition\n") {
		t.Error("styles does not list apa with its title")
	}
	if !strings.Contains(out, "\nvancouver-nlm\tVancouver - NLM (citation-sequence)\t(dependent on nlm-citation-sequence)\n") {
		t.Error("styles does not list the dependent vancouver-nlm with its parent")
	}

	code, out, _ = run(t, "", "styles", "--independent")
	if n := strings.Count(out, "\n"); code != 0 || n != 2858 {
		t.Errorf("styles --independent: exit %d, %d lines, want 2858", code, n)
	}

	code, out, _ = run(t, "", "styles", "Chicago", "NOTES", "bibliography")
	if code != 0 || !strings.Contains(out, "chicago-notes-bibliography\t") {
		t.Errorf("styles chicago notes bibliography: exit %d, output %q", code, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		l := strings.ToLower(line)
		if !strings.Contains(l, "chicago") || !strings.Contains(l, "notes") {
			t.Errorf("line %q does not match the query", line)
		}
	}

	code, _, errOut = run(t, "", "styles", "ieeee-transactionz")
	if code != 1 || !strings.Contains(errOut, "no style matches") {
		t.Errorf("unmatched query: exit %d, stderr %q", code, errOut)
	}
}
