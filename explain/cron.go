package explain

import (
	"regexp"
	"strconv"
	"strings"
)

// cronLine splits a line of a crontab, "0 2 * * 1-5 backup.sh" or
// "@daily backup.sh", into its schedule and its command. A command
// never starts so: no program is named "0" or "*/5".
var cronLine = regexp.MustCompile(`^\s*(@(?:reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)|` +
	`[0-9*][0-9*/,-]*\s+[0-9*][0-9*/,-]*\s+[0-9*?][0-9*/,?LW-]*\s+[0-9a-zA-Z*][0-9a-zA-Z*/,-]*\s+[0-9a-zA-Z*?][0-9a-zA-Z*/,?#L-]*)\s+(\S.*)$`)

// cronShortcuts are what crontab's @ names stand for.
var cronShortcuts = map[string]string{"@reboot": "once, when the machine starts", "@yearly": "at 00:00 on January 1",
	"@annually": "at 00:00 on January 1", "@monthly": "at 00:00 on day 1 of each month", "@weekly": "at 00:00 each Sunday",
	"@daily": "at 00:00 each day", "@midnight": "at 00:00 each day", "@hourly": "at minute 0 of each hour"}

var (
	weekdays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	months   = []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"}
)

// cronDoc says when a schedule runs its command: "at 02:00, Monday to
// Friday", "every 15 minutes", "at minute 0 of every 2 hours". Both a
// day of the month and a day of the week given: either one is enough,
// as cron reads them.
func cronDoc(schedule string) string {
	if doc, ok := cronShortcuts[schedule]; ok {
		return doc
	}
	f := strings.Fields(schedule)
	if len(f) != 5 {
		return ""
	}
	minute, hour, dom, month, dow := f[0], f[1], f[2], f[3], f[4]
	var parts []string
	m, errM := strconv.Atoi(minute)
	h, errH := strconv.Atoi(hour)
	switch {
	case errM == nil && errH == nil:
		parts = append(parts, "at "+twoDigits(h)+":"+twoDigits(m))
	case minute == "*" && hour == "*":
		parts = append(parts, "every minute")
	case minute == "*":
		parts = append(parts, "every minute of "+cronField(hour, "hour", nil))
	case strings.HasPrefix(minute, "*/") && hour == "*":
		parts = append(parts, cronField(minute, "minute", nil))
	default:
		parts = append(parts, "at "+cronField(minute, "minute", nil)+" of "+cronField(hour, "hour", nil))
	}
	days := ""
	switch {
	case dom == "*" && dow == "*":
		days = "each day"
	case dow == "*":
		days = "on " + cronField(dom, "day", nil) + " of the month"
	case dom == "*":
		days = "on " + cronField(dow, "weekday", weekdays)
	default:
		days = "on " + cronField(dom, "day", nil) + " of the month and on " + cronField(dow, "weekday", weekdays) + " (either)"
	}
	parts = append(parts, days)
	if month != "*" {
		parts = append(parts, "in "+cronField(month, "month", months))
	}
	return strings.Join(parts, ", ")
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// cronField reads one field: *, */n, a-b, a-b/n, and lists of them; a
// field of names (weekdays, months) names its numbers.
func cronField(v, unit string, names []string) string {
	var items []string
	for _, item := range strings.Split(v, ",") {
		items = append(items, cronItem(item, unit, names))
	}
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func cronItem(item, unit string, names []string) string {
	name := func(s string) string {
		if names != nil {
			if n, err := strconv.Atoi(s); err == nil && n >= 0 && n < len(names) && names[n] != "" {
				return names[n]
			}
			for _, full := range names {
				if len(s) == 3 && strings.HasPrefix(strings.ToLower(full), strings.ToLower(s)) {
					return full
				}
			}
			return s
		}
		return unit + " " + s
	}
	rng, step, stepped := strings.Cut(item, "/")
	switch {
	case rng == "*" && stepped:
		return "every " + step + " " + unit + "s"
	case rng == "*":
		return "every " + unit
	case stepped:
		from, to, _ := strings.Cut(rng, "-")
		return "every " + step + " " + unit + "s from " + name(from) + " to " + name(to)
	case strings.Contains(rng, "-"):
		from, to, _ := strings.Cut(rng, "-")
		return name(from) + " to " + strings.TrimPrefix(name(to), unit+" ")
	}
	return name(rng)
}
