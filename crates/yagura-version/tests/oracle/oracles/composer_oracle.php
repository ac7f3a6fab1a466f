<?php
// Reads "a<TAB>b" lines on stdin; normalises both with Composer's
// VersionParser and prints Comparator's verdict (-1/0/1), or ERR when
// Composer rejects a version.
require '/usr/share/php/Composer/Semver/autoload.php';
use Composer\Semver\Comparator;
use Composer\Semver\VersionParser;

$parser = new VersionParser();
while (($line = fgets(STDIN)) !== false) {
    $p = explode("\t", rtrim($line, "\n"));
    try {
        $a = $parser->normalize($p[0]);
        $b = $parser->normalize($p[1]);
    } catch (\UnexpectedValueException $e) {
        echo "ERR\n";
        continue;
    }
    if (Comparator::lessThan($a, $b)) {
        echo "-1\n";
    } elseif (Comparator::equalTo($a, $b)) {
        echo "0\n";
    } elseif (Comparator::greaterThan($a, $b)) {
        echo "1\n";
    } else {
        echo "ERR\n"; // unordered (e.g. feature branches)
    }
}
