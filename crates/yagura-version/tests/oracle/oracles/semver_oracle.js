// Reads "a<TAB>b" lines on stdin, prints node-semver's compare (strict
// mode), or ERR when semver rejects either string.
const semver = require(process.env.SEMVER_MODULE || "semver");
const lines = require("fs").readFileSync(0, "utf8").split("\n");
const out = [];
for (const line of lines) {
  if (line === "") continue;
  const [a, b] = line.split("\t");
  if (semver.valid(a) === null || semver.valid(b) === null) {
    out.push("ERR");
  } else {
    out.push(String(semver.compare(a, b)));
  }
}
process.stdout.write(out.join("\n") + "\n");
