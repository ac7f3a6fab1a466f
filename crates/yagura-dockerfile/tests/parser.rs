//! Parser behaviour on the Dockerfile features that matter to the checks.

use serde_json::{json, Value};
use yagura_dockerfile::{load, looks_like_dockerfile, Output};
use yagura_model::iac::is_unknown;
use yagura_model::SourceKind;

fn attrs(out: &Output) -> &Value {
    assert_eq!(out.resources.len(), 1);
    &out.resources[0].attributes
}

fn instr(a: &Value, stage: usize, idx: usize) -> &Value {
    &a["stages"][stage]["instructions"][idx]
}

#[test]
fn resource_covers_the_whole_file() {
    let out = load("app/Dockerfile", "FROM alpine:3.20\n\nRUN echo hi\n# end\n");
    let r = &out.resources[0];
    assert_eq!(r.kind, "docker.dockerfile");
    assert_eq!(r.id, "dockerfile:app/Dockerfile");
    assert_eq!(r.source, SourceKind::Dockerfile);
    let loc = r.location.as_ref().unwrap();
    assert_eq!(
        (loc.file.as_str(), loc.start_line, loc.end_line),
        ("app/Dockerfile", Some(1), Some(4))
    );
    assert!(out.issues.is_empty(), "{:?}", out.issues);
}

#[test]
fn continuations_join_lines_and_keep_the_line_range() {
    let text = "FROM debian:12\nRUN apt-get update \\\n    # a comment inside\n    && apt-get install -y \\\n\n       curl\nCMD [\"sh\"]\n";
    let out = load("Dockerfile", text);
    let a = attrs(&out);
    let run = instr(a, 0, 0);
    assert_eq!(run["instruction"], "RUN");
    assert_eq!(
        run["arguments"],
        "apt-get update     && apt-get install -y        curl"
    );
    assert_eq!(
        (run["start_line"].as_u64(), run["end_line"].as_u64()),
        (Some(2), Some(6))
    );
    assert_eq!(instr(a, 0, 1)["start_line"], 7);
    assert!(out.issues.is_empty());
}

#[test]
fn heredocs_are_read_with_their_bodies() {
    let text = "FROM alpine:3.20\nRUN <<EOF\nset -e\napk add --no-cache curl\nEOF\nCOPY <<-\"CONF\" /etc/app.conf\n\tkey=value\n\tCONF\nUSER 1000\n";
    let out = load("Dockerfile", text);
    let a = attrs(&out);
    let run = instr(a, 0, 0);
    assert_eq!(run["arguments"], "<<EOF");
    assert_eq!(run["heredocs"][0]["name"], "EOF");
    assert_eq!(
        run["heredocs"][0]["body"],
        "set -e\napk add --no-cache curl\n"
    );
    assert_eq!(
        (run["start_line"].as_u64(), run["end_line"].as_u64()),
        (Some(2), Some(5))
    );
    let copy = instr(a, 0, 1);
    assert_eq!(copy["heredocs"][0]["body"], "key=value\n");
    assert_eq!(copy["end_line"], 8);
    assert_eq!(instr(a, 0, 2)["start_line"], 9);
    assert_eq!(a["user"]["name"], "1000");
    assert!(out.issues.is_empty(), "{:?}", out.issues);
}

#[test]
fn unterminated_heredoc_is_an_issue_not_a_hang() {
    let out = load(
        "Dockerfile",
        "FROM alpine:3.20\nRUN <<EOF\necho never closed\n",
    );
    assert_eq!(out.issues.len(), 1);
    assert_eq!(out.issues[0].line, Some(2));
    assert!(out.issues[0].message.contains("never closed"));
}

#[test]
fn exec_and_shell_forms() {
    let text = "FROM alpine:3.20\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\nENTRYPOINT /run.sh arg\nRUN [not json\n";
    let out = load("Dockerfile", text);
    let a = attrs(&out);
    assert_eq!(
        instr(a, 0, 0)["exec_form"],
        json!(["nginx", "-g", "daemon off;"])
    );
    assert_eq!(instr(a, 0, 1)["exec_form"], Value::Null);
    assert_eq!(instr(a, 0, 1)["arguments"], "/run.sh arg");
    // Invalid JSON is the shell form, as Docker reads it.
    assert_eq!(instr(a, 0, 2)["exec_form"], Value::Null);
    assert_eq!(instr(a, 0, 2)["arguments"], "[not json");
}

#[test]
fn multi_stage_builds_stage_references_and_inheritance() {
    let text = "\
ARG BASE_TAG=1.22
FROM --platform=$BUILDPLATFORM golang:${BASE_TAG} AS Build
USER builder
RUN go build -o /app .

FROM gcr.io/distroless/static@sha256:abc123 AS runtime
COPY --from=build --chown=65532:65532 /app /app

FROM build AS debug
HEALTHCHECK CMD [\"/app\", \"-health\"]
";
    let out = load("Dockerfile", text);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let a = attrs(&out);
    let stages = a["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 3);
    assert_eq!(stages[0]["name"], "build");
    assert_eq!(stages[0]["from_line"], 2);
    assert_eq!(stages[0]["end_line"], 4);
    assert_eq!(
        stages[0]["base"],
        json!({"reference": "golang:${BASE_TAG}", "image": "golang", "tag": "1.22",
               "digest": null, "platform": "$BUILDPLATFORM", "stage": null, "scratch": false})
    );
    assert_eq!(stages[1]["base"]["image"], "gcr.io/distroless/static");
    assert_eq!(stages[1]["base"]["tag"], Value::Null);
    assert_eq!(stages[1]["base"]["digest"], "sha256:abc123");
    let copy = instr(a, 1, 0);
    assert_eq!(
        copy["flags"],
        json!({"from": "build", "chown": "65532:65532"})
    );
    assert_eq!(stages[2]["base"]["stage"], "build");
    assert_eq!(
        a["global_args"],
        json!([{"name": "BASE_TAG", "value": "1.22"}])
    );
    // The final stage builds on `build` and so inherits its USER.
    assert_eq!(a["user"], json!({"name": "builder", "line": 3, "stage": 0}));
    assert_eq!(
        a["healthcheck"],
        json!({"disabled": false, "line": 10, "stage": 2})
    );
}

#[test]
fn user_of_an_earlier_stage_does_not_reach_the_final_image() {
    let out = load(
        "Dockerfile",
        "FROM a:1 AS b\nUSER app\nFROM c:2\nCOPY --from=b /x /x\n",
    );
    assert_eq!(attrs(&out)["user"], Value::Null);
    assert_eq!(attrs(&out)["healthcheck"], Value::Null);
}

#[test]
fn substitution_uses_known_values_and_keeps_unknowns_unknown() {
    let text = "\
ARG REGISTRY
ARG TAG
FROM ${REGISTRY}/team/app:2.0 AS one
FROM ubuntu:${TAG} AS two
FROM ${REGISTRY:-docker.io}/library/nginx AS three
ARG UID=10001
ENV HOME=/home/app PORT=8080
USER ${UID}:${GID:-0}
EXPOSE $PORT
WORKDIR $HOME/src
";
    let out = load("Dockerfile", text);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let a = attrs(&out);
    let s = a["stages"].as_array().unwrap();
    // The registry is unknown, but the tag is written out and no digest can hide.
    assert!(is_unknown(&s[0]["base"]["image"]));
    assert_eq!(s[0]["base"]["tag"], "2.0");
    assert_eq!(s[0]["base"]["digest"], Value::Null);
    assert_eq!(s[1]["base"]["image"], "ubuntu");
    assert!(is_unknown(&s[1]["base"]["tag"]));
    assert!(is_unknown(&s[1]["base"]["digest"]));
    assert_eq!(s[1]["base"]["tag"]["$unknown"], "ubuntu:${TAG}");
    assert!(is_unknown(&s[2]["base"]["image"]));
    assert_eq!(s[2]["base"]["tag"], Value::Null);
    // GID was never declared: it may come from the base image, so USER is unknown.
    assert!(is_unknown(&a["user"]["name"]));
    assert_eq!(instr(a, 2, 3)["expanded"], "8080");
    assert_eq!(instr(a, 2, 4)["expanded"], "/home/app/src");
    assert_eq!(
        instr(a, 2, 1)["vars"],
        json!([{"name": "HOME", "value": "/home/app"}, {"name": "PORT", "value": "8080"}])
    );
}

#[test]
fn a_stage_arg_brings_in_the_global_default() {
    let out = load("Dockerfile", "ARG V=3\nFROM a:1\nARG V\nUSER u$V\n");
    assert_eq!(attrs(&out)["user"]["name"], "u3");
    // Without re-declaring, the global ARG is not visible inside the stage.
    let out = load("Dockerfile", "ARG V=3\nFROM a:1\nUSER u$V\n");
    assert!(is_unknown(&attrs(&out)["user"]["name"]));
}

#[test]
fn escape_directive_changes_the_continuation_character() {
    let text = "# escape=`\n# syntax=docker/dockerfile:1\n\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY testfile.txt c:\\\nRUN dir c:\\ `\n    && echo done\n";
    let out = load("Dockerfile", text);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let a = attrs(&out);
    assert_eq!(a["escape"], "`");
    assert_eq!(a["syntax"], "docker/dockerfile:1");
    assert_eq!(instr(a, 0, 0)["arguments"], "testfile.txt c:\\");
    let run = instr(a, 0, 1);
    assert_eq!(run["arguments"], "dir c:\\     && echo done");
    assert_eq!(
        (run["start_line"].as_u64(), run["end_line"].as_u64()),
        (Some(6), Some(7))
    );
}

#[test]
fn directives_after_the_top_are_comments() {
    let out = load("Dockerfile", "FROM a:1\n# escape=`\nRUN x \\\n  y\n");
    let a = attrs(&out);
    assert_eq!(a["escape"], "\\");
    assert_eq!(instr(a, 0, 0)["arguments"], "x   y");
}

#[test]
fn flags_are_parsed_and_repeated_flags_become_lists() {
    let text = "FROM a:1\nRUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=tok --network=none make\nADD --link --checksum=sha256:00 https://x/y /y\n";
    let out = load("Dockerfile", text);
    let a = attrs(&out);
    assert_eq!(
        instr(a, 0, 0)["flags"],
        json!({"mount": ["type=cache,target=/root/.cache", "type=secret,id=tok"], "network": "none"})
    );
    assert_eq!(instr(a, 0, 0)["arguments"], "make");
    assert_eq!(
        instr(a, 0, 1)["flags"],
        json!({"link": true, "checksum": "sha256:00"})
    );
}

#[test]
fn env_and_arg_forms() {
    let text = "FROM a:1\nENV LEGACY value with spaces\nENV A=\"quoted value\" B='single $x' C=plain\nARG NOVALUE\nARG X=1 Y\n";
    let out = load("Dockerfile", text);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let a = attrs(&out);
    assert_eq!(
        instr(a, 0, 0)["vars"],
        json!([{"name": "LEGACY", "value": "value with spaces"}])
    );
    assert_eq!(
        instr(a, 0, 1)["vars"],
        json!([{"name": "A", "value": "quoted value"}, {"name": "B", "value": "single $x"},
               {"name": "C", "value": "plain"}])
    );
    assert_eq!(
        instr(a, 0, 2)["vars"],
        json!([{"name": "NOVALUE", "value": null}])
    );
    assert_eq!(
        instr(a, 0, 3)["vars"],
        json!([{"name": "X", "value": "1"}, {"name": "Y", "value": null}])
    );
}

#[test]
fn malformed_lines_are_issues_and_parsing_goes_on() {
    let text = "RUN echo before from\nFROM alpine:3.20 extra words\nFROOM typo\nENV ONLYNAME\nRUN\nUSER 1000\nHEALTHCHECK --interval=5s whatever\nFROM a:1 AS x\nFROM b:2 AS X\nUSER 1000\n";
    let out = load("Dockerfile", text);
    let lines: Vec<Option<u32>> = out.issues.iter().map(|i| i.line).collect();
    assert_eq!(
        lines,
        vec![
            Some(1),
            Some(2),
            Some(3),
            Some(4),
            Some(5),
            Some(7),
            Some(9)
        ],
        "{:?}",
        out.issues
    );
    assert!(out.issues[2]
        .message
        .contains("unknown instruction `FROOM`"));
    assert!(out.issues.iter().all(|i| i.file == "Dockerfile"));
    let a = attrs(&out);
    assert_eq!(a["stages"][0]["base"]["tag"], "3.20");
    assert_eq!(a["user"]["name"], "1000");
    assert_eq!(a["parse_issues"], 7);
}

#[test]
fn crlf_line_endings() {
    let text = "FROM alpine:3.20\r\nRUN apk add \\\r\n  curl\r\nUSER app\r\n";
    let out = load("Dockerfile", text);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let a = attrs(&out);
    assert_eq!(instr(a, 0, 0)["arguments"], "apk add   curl");
    assert_eq!(instr(a, 0, 0)["end_line"], 3);
    assert_eq!(a["user"]["name"], "app");
}

#[test]
fn binary_garbage_does_not_panic_and_issues_are_capped() {
    let mut text = String::from("\u{feff}\u{0}\u{1}ELF\u{7f}\n");
    for i in 0..500u32 {
        let c = char::from_u32(0x80 + (i * 37) % 0x2000).unwrap_or('?');
        text.push_str(&format!("{c}{c}\\\n\u{0}<<{c} {i}\n"));
    }
    text.push_str("RUN <<\nFROM\n[\"\n\\");
    let out = load("blob.bin", &text);
    assert!(out.issues.len() <= 102, "{}", out.issues.len());
    assert!(out
        .issues
        .iter()
        .any(|i| i.message.contains("further problems not listed")));
    assert_eq!(attrs(&out)["stages"], json!([]));
    // No FROM: nothing an image check could judge.
    assert!(out.issues.iter().any(|i| i.message.contains("no FROM")));
}

#[test]
fn empty_input() {
    let out = load("Dockerfile", "");
    let a = attrs(&out);
    assert_eq!(a["stages"], json!([]));
    assert_eq!(a["user"], Value::Null);
    assert_eq!(
        out.resources[0].location.as_ref().unwrap().end_line,
        Some(1)
    );
}

#[test]
fn file_names() {
    for name in [
        "Dockerfile",
        "src/Containerfile",
        "api.Dockerfile",
        "x/web.dockerfile",
    ] {
        assert!(looks_like_dockerfile(name, ""), "{name}");
    }
    assert!(looks_like_dockerfile(
        "Dockerfile.prod",
        "# base\nFROM alpine:3.20\n"
    ));
    assert!(!looks_like_dockerfile(
        "Dockerfile.md",
        "# notes about the Dockerfile\n"
    ));
    assert!(!looks_like_dockerfile("Dockerfile.dockerignore", "FROM \n"));
    assert!(!looks_like_dockerfile("main.rs", "FROM alpine"));
    assert!(!looks_like_dockerfile("dockerfiles.txt", "FROM alpine"));
}

#[test]
fn random_input_never_panics() {
    // A fixed-seed generator over the characters the parser treats specially.
    const ALPHABET: &[&str] = &[
        "FROM ",
        "RUN ",
        "ARG ",
        "ENV ",
        "USER ",
        "COPY ",
        "ADD ",
        "EXPOSE ",
        "HEALTHCHECK ",
        "AS ",
        "<<",
        "<<-",
        "EOF",
        "\\",
        "`",
        "\n",
        "\r\n",
        "#",
        "# escape=`\n",
        "$",
        "${",
        "}",
        ":-",
        "=",
        "\"",
        "'",
        "[",
        "]",
        "--",
        "@",
        ":",
        "/",
        " ",
        "é",
        "\u{0}",
        "x",
        "1",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..2000 {
        let mut text = String::new();
        for _ in 0..(seed % 60) {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(ALPHABET[(seed >> 33) as usize % ALPHABET.len()]);
        }
        let out = load("fuzz", &text);
        assert_eq!(out.resources.len(), 1);
        // The checks must cope with whatever the parser produced.
        let inventory = yagura_model::Inventory::new(out.resources);
        let ctx = yagura_checks::Ctx {
            inventory: &inventory,
            now: chrono::Utc::now(),
        };
        for c in yagura_checks::registry()
            .iter()
            .filter(|c| c.kind == "docker.dockerfile")
        {
            let _ = c.evaluate(&inventory.resources()[0], &ctx);
        }
        seed = seed.wrapping_add(7);
    }
}

#[test]
fn the_documented_example_is_what_the_parser_produces() {
    let out = load(
        "Dockerfile",
        "ARG TAG=3.12-slim\nFROM python:${TAG} AS app\nUSER 10001\n",
    );
    let want = json!({
      "syntax": null, "escape": "\\",
      "global_args": [{"name": "TAG", "value": "3.12-slim"}],
      "stages": [{
        "index": 0, "name": "app", "from_line": 2, "end_line": 3,
        "base": {"reference": "python:${TAG}", "image": "python", "tag": "3.12-slim",
                 "digest": null, "platform": null, "stage": null, "scratch": false},
        "instructions": [{"instruction": "USER", "arguments": "10001", "exec_form": null,
                          "flags": {}, "start_line": 3, "end_line": 3}]
      }],
      "user": {"name": "10001", "line": 3, "stage": 0},
      "healthcheck": null,
      "parse_issues": 0
    });
    assert_eq!(attrs(&out), &want);
}
