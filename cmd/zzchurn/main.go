// Throwaway: hints ranked without the request's last word.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/cmdr-sh/cmdr/translate"
)

func has(ts []translate.Tool, want string) bool {
	for _, t := range ts {
		if t.Name == want {
			return true
		}
	}
	return false
}

func main() {
	x := translate.NewToolIndex(translate.IndexOptions{CachePath: "/tmp/zzidx", NoUsage: true})
	ctx := context.Background()
	for _, file := range []string{"../shared/bench/nl2cmd-dev.jsonl"} {
		f, _ := os.Open(file)
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var n, full, butLast, installed int
		var plus1, plus2, extra1, extra2 int
		for sc.Scan() {
			var it struct {
				NL      string `json:"nl"`
				Utility string `json:"utility"`
			}
			json.Unmarshal(sc.Bytes(), &it)
			ws := strings.Fields(it.NL)
			want := strings.Split(it.Utility, ",")[0]
			if len(ws) < 2 {
				continue
			}
			n++
			if !has(x.Rank(ctx, want+" "+want, 50), want) {
				continue
			}
			installed++
			if has(x.Rank(ctx, it.NL, 3), want) {
				full++
			}
			bl := x.Rank(ctx, strings.Join(ws[:len(ws)-1], " "), 3)
			if has(bl, want) {
				butLast++
			}
			fr := x.Rank(ctx, it.NL, 3)
			u1, u2 := append([]translate.Tool{}, bl...), append([]translate.Tool{}, bl...)
			for i, t := range fr {
				if has(bl, t.Name) {
					continue
				}
				if i < 1 {
					u1 = append(u1, t)
					extra1++
				}
				if i < 2 {
					u2 = append(u2, t)
					extra2++
				}
			}
			if has(u1, want) {
				plus1++
			}
			if has(u2, want) {
				plus2++
			}
		}
		fmt.Printf("%s: %d items, %d with the program installed; main program in the top 3: whole request %.3f, without its last word %.3f\n",
			file, n, installed, float64(full)/float64(installed), float64(butLast)/float64(installed))
		fmt.Printf("plus the whole request's best: %.3f (%d extra lines in %d items); plus its best two: %.3f (%d extra lines)\n",
			float64(plus1)/float64(installed), extra1, installed, float64(plus2)/float64(installed), extra2)
	}
}
