# Reads "a<TAB>b" lines on stdin, prints Gem::Version a <=> b (or ERR when
# RubyGems rejects either string).
require "rubygems"
$stdin.each_line do |line|
  a, b = line.chomp("\n").split("\t", -1)
  begin
    raise ArgumentError unless Gem::Version.correct?(a) && Gem::Version.correct?(b)
    puts(Gem::Version.new(a) <=> Gem::Version.new(b))
  rescue ArgumentError
    puts "ERR"
  end
end
