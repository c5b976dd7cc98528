package explain

import (
	"context"
	"testing"

	"github.com/cmdr-sh/cmdr/translate"
)

// When a crontab schedule runs its command.
func TestCronDoc(t *testing.T) {
	for schedule, want := range map[string]string{
		"0 2 * * *":          "at 02:00, each day",
		"*/15 * * * *":       "every 15 minutes, each day",
		"* * * * *":          "every minute, each day",
		"* 3 * * *":          "every minute of hour 3, each day",
		"30 9-17 * * 1-5":    "at minute 30 of hour 9 to 17, on Monday to Friday",
		"0 */2 * * sat,sun":  "at minute 0 of every 2 hours, on Saturday and Sunday",
		"5 4 * jan,jul 0":    "at 04:05, on Sunday, in January and July",
		"0 0 1 * 1":          "at 00:00, on day 1 of the month and on Monday (either)",
		"0,30 * * * 7":       "at minute 0 and minute 30 of every hour, on Sunday",
		"0 12 * */3 mon-fri": "at 12:00, on Monday to Friday, in every 3 months",
		"@reboot":            "once, when the machine starts",
		"1 2 3 4":            "",
	} {
		if got := cronDoc(schedule); got != want {
			t.Errorf("cronDoc(%q) = %q, want %q", schedule, got, want)
		}
	}
}

// A crontab line: its schedule, then its command explained and graded
// under it; a command that only starts with a number is no such line.
func TestCronLine(t *testing.T) {
	l := pagesLibrary(t, map[string]string{})
	ex := checkIn(t, l, "0 2 * * * rm -rf /", []want{{"0 2 * * *", KindOperator, "a crontab schedule: runs the command at 02:00, each day", "", 0},
		{"rm", KindProgram, "", "", 1}, {"-rf", KindFlag, "", "", 1}, {"/", KindArgument, "", "", 1}})
	if ex.Risk.Level != translate.RiskHigh {
		t.Errorf("the command's risk: %+v", ex.Risk)
	}
	ex, err := l.Explain(context.Background(), "@daily backup.sh --all", "bash")
	if err != nil || len(ex.Parts) < 2 || ex.Parts[0].Text != "@daily" || ex.Parts[1].Depth != 1 {
		t.Errorf("@daily: %v %+v", err, ex.Parts)
	}
	// Not a schedule: five fields are needed before the command.
	checkIn(t, l, "7z x a.7z", []want{{"7z", KindProgram, "", "", 0}, {"x", KindArgument, "", "", 0}, {"a.7z", KindArgument, "", "", 0}})
}
