package explain

import "testing"

// awk's one-line programs: a pattern and a print of fields; anything
// else is left alone.
func TestAwkDoc(t *testing.T) {
	for program, want := range map[string]string{
		"{print $1}":                  "prints field 1 of each line",
		"{ print $1, $3 }":            "prints field 1 and field 3 of each line",
		"{print $NF}":                 "prints the last field of each line",
		"/error/ {print $2}":          "prints field 2 of each line matching /error/",
		"NR==5":                       "prints line 5",
		"$3 > 100":                    "prints each line whose field 3 is more than 100",
		"$1 ~ /^a/ {print $0}":        "prints each line whose field 1 matches /^a/",
		`{print $1 " " $2}`:           `prints field 1 and field 2 of each line, with " " between`,
		`{print $1","$2}`:             `prints field 1 and field 2 of each line, with "," between`,
		`$5 == "LISTEN" {print $4}`:   `prints field 4 of each line whose field 5 is "LISTEN"`,
		"{print}":                     "prints each line",
		"{sum += $1} END {print sum}": "", "NR%2==0": "", "length > 80": "", "{print $1; print $2}": "",
		`BEGIN{FS=":"}{print $1}`: "", "": "", `{print "a}`: "",
	} {
		if got := awkDoc(program); got != want {
			t.Errorf("awkDoc(%q) = %q, want %q", program, got, want)
		}
	}
}
