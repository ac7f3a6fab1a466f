// Reads "a<TAB>b" lines on stdin, prints golang.org/x/mod/semver.Compare
// (-1/0/1), or ERR when either string is not a valid Go semver.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"oracle/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		p := strings.SplitN(in.Text(), "\t", 2)
		if len(p) != 2 || !semver.IsValid(p[0]) || !semver.IsValid(p[1]) {
			fmt.Fprintln(out, "ERR")
			continue
		}
		fmt.Fprintln(out, semver.Compare(p[0], p[1]))
	}
}
