//! Built-in detectors. Every regex here is original to yagura.
//!
//! Conventions: patterns are compiled as byte regexes with Unicode off, so classes
//! are ASCII. `s!()` / `e!()` are token boundaries that, unlike `\b`, also treat
//! `-` and `_` as part of a token so a longer token is never matched by its prefix.

use crate::detector::{Detector, DetectorAllowlist, Part, Part::Lit, Part::Rand, Sample};
use yagura_model::Severity::{Critical, High, Low, Medium};

macro_rules! s {
    () => {
        r"(?:^|[^0-9A-Za-z_\-])"
    };
}
macro_rules! e {
    () => {
        r"(?:[^0-9A-Za-z_\-]|$)"
    };
}
macro_rules! e64 {
    () => {
        r"(?:[^0-9A-Za-z+/=_\-]|$)"
    };
}
/// `<provider words><ident chars> = "<value>"` in code, YAML, JSON, env files.
macro_rules! kv {
    ($p:expr, $v:expr) => {
        concat!(
            r#"(?i)(?:"#,
            $p,
            r#")[a-z0-9_.\-]*["'`]?\s*(?::=|=>|=|:)\s*["'`]?("#,
            $v,
            ")",
            e!()
        )
    };
}
/// A PEM-style private key block; the secret is the body.
macro_rules! pem {
    ($label:expr) => {
        concat!(
            "-----BEGIN ",
            $label,
            r"-----\r?\n((?:[A-Za-z0-9+/=:,\- ]*\r?\n)*?[A-Za-z0-9+/=\r\n]{100,}?)\r?\n?-----END ",
            $label,
            "-----"
        )
    };
}

const DI: &str = "0123456789";
const AN: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const AL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HX: &str = "0123456789abcdef";
const HXU: &str = "0123456789ABCDEF";
const B32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B32L: &str = "abcdefghijklmnopqrstuvwxyz234567";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const UPD: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LOD: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const BECH: &str = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
const PWD: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%^*_+";

const BASE: Detector = Detector {
    id: "",
    title: "",
    severity: High,
    keywords: &[],
    regex: "",
    secret_group: 1,
    entropy: None,
    allowlist: DetectorAllowlist::EMPTY,
    description: "",
    multiline: false,
    generic: false,
    sample: Sample {
        before: "",
        parts: &[],
        after: "",
    },
};

/// A quoted value on an assignment line.
const fn q(parts: &'static [Part]) -> Sample {
    Sample {
        before: "value = \"",
        parts,
        after: "\"\n",
    }
}

/// A sample with its own line context.
const fn ctx(before: &'static str, parts: &'static [Part], after: &'static str) -> Sample {
    Sample {
        before,
        parts,
        after,
    }
}

const PLACEHOLDER_PASSWORDS: DetectorAllowlist = DetectorAllowlist {
    paths: &[],
    regexes: &[],
    stopwords: &["password", "passwd", "secret", "changeme", "pass123"],
};

pub(crate) static BUILTIN: &[Detector] = &[
    // ---------------------------------------------------------------- AWS
    Detector {
        id: "aws-access-key-id",
        title: "AWS access key ID",
        severity: Critical,
        keywords: &["akia", "asia", "abia", "acca", "a3t"],
        regex: concat!(s!(), "((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})", e!()),
        entropy: Some(3.0),
        description: "Identifier of an AWS IAM or STS access key; usually found next to its secret.",
        sample: q(&[Lit("AKIA"), Rand(B32, 16)]),
        ..BASE
    },
    Detector {
        id: "aws-secret-access-key",
        title: "AWS secret access key",
        severity: Critical,
        keywords: &["secret_access_key", "secretaccesskey", "secret-access-key", "aws_secret"],
        regex: concat!(
            r#"(?i)(?:aws_?)?secret[_\-]?(?:access[_\-]?)?key["'`]?\s*(?::=|=>|=|:)\s*["'`]?([A-Za-z0-9/+]{40})"#,
            e64!()
        ),
        entropy: Some(4.0),
        description: "The signing half of an AWS access key pair.",
        sample: ctx("aws_secret_access_key = \"", &[Rand(B64, 40)], "\"\n"),
        ..BASE
    },
    Detector {
        id: "aws-session-token",
        title: "AWS session token",
        severity: High,
        keywords: &["session_token", "sessiontoken", "security_token", "session-token"],
        regex: concat!(
            r#"(?i)(?:session|security)[_\-]?token["'`]?\s*(?::=|=>|=|:)\s*["'`]?([A-Za-z0-9/+]{100,}={0,2})"#,
            e64!()
        ),
        entropy: Some(4.0),
        description: "Temporary STS credentials; valid until they expire.",
        sample: ctx("aws_session_token = \"", &[Lit("IQoJb3JpZ2luX2Vj"), Rand(B64, 180)], "\"\n"),
        ..BASE
    },
    Detector {
        id: "aws-mws-auth-token",
        title: "Amazon MWS auth token",
        keywords: &["amzn.mws."],
        regex: concat!(s!(), r"(amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})", e!()),
        description: "Amazon Marketplace Web Service authorization token.",
        sample: q(&[Lit("amzn.mws."), Rand(HX, 8), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 12)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Google
    Detector {
        id: "gcp-api-key",
        title: "Google Cloud API key",
        keywords: &["aiza"],
        regex: concat!(s!(), r"(AIza[0-9A-Za-z_\-]{35})", e!()),
        entropy: Some(3.0),
        description: "Google API key (Maps, Firebase, Gemini, other Google Cloud APIs).",
        sample: q(&[Lit("AIza"), Rand(URL, 35)]),
        ..BASE
    },
    Detector {
        id: "gcp-service-account-key",
        title: "GCP service-account key file",
        severity: Critical,
        keywords: &["private_key_id"],
        regex: r#""private_key_id"\s*:\s*"([0-9a-f]{40})""#,
        description: "A service-account JSON key file; the file also holds the private key itself.",
        sample: ctx("  \"type\": \"service_account\", \"private_key_id\": \"", &[Rand(HX, 40)], "\",\n"),
        ..BASE
    },
    Detector {
        id: "gcp-oauth-client-secret",
        title: "Google OAuth client secret",
        keywords: &["gocspx-"],
        regex: concat!(s!(), r"(GOCSPX-[A-Za-z0-9_\-]{28})", e!()),
        description: "OAuth 2.0 client secret issued by Google Cloud.",
        sample: q(&[Lit("GOCSPX-"), Rand(URL, 28)]),
        ..BASE
    },
    Detector {
        id: "google-oauth-access-token",
        title: "Google OAuth access token",
        severity: Medium,
        keywords: &["ya29."],
        regex: concat!(s!(), r"(ya29\.[0-9A-Za-z_\-]{60,})", e!()),
        description: "Short-lived Google OAuth 2.0 access token.",
        sample: q(&[Lit("ya29."), Rand(URL, 80)]),
        ..BASE
    },
    Detector {
        id: "google-oauth-refresh-token",
        title: "Google OAuth refresh token",
        keywords: &["1//0"],
        regex: concat!(s!(), r"(1//0[0-9A-Za-z_\-]{40,})", e!()),
        entropy: Some(3.5),
        description: "Long-lived Google OAuth 2.0 refresh token.",
        sample: q(&[Lit("1//0"), Rand(AN, 60)]),
        ..BASE
    },
    Detector {
        id: "firebase-cloud-messaging-server-key",
        title: "Firebase Cloud Messaging server key",
        keywords: &["apa91b"],
        regex: concat!(s!(), r"(AAAA[A-Za-z0-9_\-]{7}:APA91b[A-Za-z0-9_\-]{134})", e!()),
        description: "Legacy FCM server key that can send pushes to every app user.",
        sample: q(&[Lit("AAAA"), Rand(AN, 7), Lit(":APA91b"), Rand(URL, 134)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Azure
    Detector {
        id: "azure-storage-connection-string",
        title: "Azure Storage connection string with account key",
        severity: Critical,
        keywords: &["defaultendpointsprotocol"],
        regex: r"(?i)DefaultEndpointsProtocol=https?;AccountName=[a-z0-9]{3,24};AccountKey=([A-Za-z0-9+/]{86}==)",
        description: "Full-access key of an Azure Storage account embedded in a connection string.",
        sample: ctx("conn = \"DefaultEndpointsProtocol=https;AccountName=acmestore01;AccountKey=", &[Rand(B64, 86), Lit("==")], ";EndpointSuffix=core.windows.net\"\n"),
        ..BASE
    },
    Detector {
        id: "azure-storage-account-key",
        title: "Azure Storage account key",
        severity: Critical,
        keywords: &["storage_key", "storagekey", "storage-key", "account_key", "accountkey", "account-key", "storage_account_key"],
        regex: concat!(
            r#"(?i)(?:storage|account)[_\-]?(?:access[_\-]?)?key["'`]?\s*(?::=|=>|=|:)\s*["'`]?([A-Za-z0-9+/]{86}==)"#,
            e64!()
        ),
        description: "Shared key of an Azure Storage account.",
        sample: ctx("storage_account_key: ", &[Rand(B64, 86), Lit("==")], "\n"),
        ..BASE
    },
    Detector {
        id: "azure-sas-token",
        title: "Azure shared access signature",
        keywords: &["sig="],
        regex: r"(?i)[?&]sv=20[0-9]{2}-[0-9]{2}-[0-9]{2}&[^\s'`<>]*?[?&]sig=([A-Za-z0-9%/+]{40,100})",
        entropy: Some(3.5),
        description: "Signed URL granting delegated access to Azure Storage until it expires.",
        sample: ctx(
            "url = \"https://acme.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&srt=co&sp=r&se=2030-01-01T00:00:00Z&sig=",
            &[Rand(B64, 43), Lit("%3D")],
            "\"\n",
        ),
        ..BASE
    },
    Detector {
        id: "azure-ad-client-secret",
        title: "Microsoft Entra ID (Azure AD) client secret",
        severity: Critical,
        keywords: &["q~"],
        regex: r"(?:^|[^0-9A-Za-z_~.\-])([A-Za-z0-9_~.\-]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34})(?:[^0-9A-Za-z_~.\-]|$)",
        entropy: Some(3.0),
        description: "Application password of an Entra ID app registration.",
        sample: q(&[Rand(AN, 3), Rand(DI, 1), Lit("Q~"), Rand(AN, 34)]),
        ..BASE
    },
    Detector {
        id: "azure-devops-pat",
        title: "Azure DevOps personal access token",
        keywords: &["azure_devops", "azure-devops", "azuredevops", "azdo"],
        regex: kv!(r"azure[_\-]?devops|azdo", "[a-z2-7]{52}"),
        description: "Personal access token for Azure DevOps (repos, pipelines, artifacts).",
        sample: ctx("AZURE_DEVOPS_PAT=", &[Rand(B32L, 52)], "\n"),
        ..BASE
    },
    Detector {
        id: "azure-cosmosdb-key",
        title: "Azure Cosmos DB account key",
        severity: Critical,
        keywords: &["documents.azure.com"],
        regex: r"(?i)AccountEndpoint=https://[a-z0-9\-]+\.documents\.azure\.com:443/?;AccountKey=([A-Za-z0-9+/]{86}==)",
        description: "Primary or secondary key of a Cosmos DB account.",
        sample: ctx("cosmos = \"AccountEndpoint=https://acme.documents.azure.com:443/;AccountKey=", &[Rand(B64, 86), Lit("==")], ";\"\n"),
        ..BASE
    },
    Detector {
        id: "azure-service-bus-key",
        title: "Azure Service Bus / Event Hubs shared access key",
        keywords: &["sharedaccesskey="],
        regex: r"(?i)Endpoint=sb://[a-z0-9.\-]+/;SharedAccessKeyName=[^;\s]+;SharedAccessKey=([A-Za-z0-9+/]{43}=)",
        description: "Connection string key for a Service Bus or Event Hubs namespace.",
        sample: ctx("sb = \"Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=", &[Rand(B64, 43), Lit("=")], "\"\n"),
        ..BASE
    },
    Detector {
        id: "azure-openai-key",
        title: "Azure OpenAI API key",
        keywords: &["azure_openai", "azure-openai", "azureopenai"],
        regex: kv!(r"azure[_\-]?openai", "[a-f0-9]{32}"),
        description: "Key of an Azure OpenAI resource.",
        sample: ctx("AZURE_OPENAI_API_KEY=", &[Rand(HX, 32)], "\n"),
        ..BASE
    },
    // ---------------------------------------------------------------- GitHub
    Detector {
        id: "github-pat",
        title: "GitHub personal access token (classic)",
        severity: Critical,
        keywords: &["ghp_"],
        regex: concat!(s!(), "(ghp_[A-Za-z0-9]{36})", e!()),
        entropy: Some(3.0),
        description: "Classic GitHub PAT with the scopes its owner granted.",
        sample: q(&[Lit("ghp_"), Rand(AN, 36)]),
        ..BASE
    },
    Detector {
        id: "github-fine-grained-pat",
        title: "GitHub fine-grained personal access token",
        severity: Critical,
        keywords: &["github_pat_"],
        regex: concat!(s!(), "(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})", e!()),
        entropy: Some(3.0),
        description: "Fine-grained GitHub PAT scoped to selected repositories.",
        sample: q(&[Lit("github_pat_"), Rand(AN, 22), Lit("_"), Rand(AN, 59)]),
        ..BASE
    },
    Detector {
        id: "github-oauth-token",
        title: "GitHub OAuth access token",
        keywords: &["gho_"],
        regex: concat!(s!(), "(gho_[A-Za-z0-9]{36})", e!()),
        entropy: Some(3.0),
        description: "Token of an OAuth app acting for a GitHub user.",
        sample: q(&[Lit("gho_"), Rand(AN, 36)]),
        ..BASE
    },
    Detector {
        id: "github-app-user-token",
        title: "GitHub App user-to-server token",
        keywords: &["ghu_"],
        regex: concat!(s!(), "(ghu_[A-Za-z0-9]{36})", e!()),
        entropy: Some(3.0),
        description: "Token of a GitHub App acting for a user.",
        sample: q(&[Lit("ghu_"), Rand(AN, 36)]),
        ..BASE
    },
    Detector {
        id: "github-app-installation-token",
        title: "GitHub App installation token",
        keywords: &["ghs_"],
        regex: concat!(s!(), "(ghs_[A-Za-z0-9]{36})", e!()),
        entropy: Some(3.0),
        description: "Server-to-server token of a GitHub App installation (also GITHUB_TOKEN in Actions).",
        sample: q(&[Lit("ghs_"), Rand(AN, 36)]),
        ..BASE
    },
    Detector {
        id: "github-refresh-token",
        title: "GitHub refresh token",
        keywords: &["ghr_"],
        regex: concat!(s!(), "(ghr_[A-Za-z0-9]{36,76})", e!()),
        entropy: Some(3.0),
        description: "Refresh token of a GitHub App user authorization.",
        sample: q(&[Lit("ghr_"), Rand(AN, 76)]),
        ..BASE
    },
    Detector {
        id: "github-oauth-client-secret",
        title: "GitHub OAuth app client secret",
        keywords: &["github_client_secret", "github-client-secret", "githubclientsecret"],
        regex: kv!(r"github[_\-]?client[_\-]?secret", "[a-f0-9]{40}"),
        description: "Client secret of a GitHub OAuth app.",
        sample: ctx("GITHUB_CLIENT_SECRET=", &[Rand(HX, 40)], "\n"),
        ..BASE
    },
    // ---------------------------------------------------------------- GitLab
    Detector {
        id: "gitlab-pat",
        title: "GitLab personal access token",
        severity: Critical,
        keywords: &["glpat-"],
        regex: concat!(s!(), r"(glpat-[A-Za-z0-9_\-]{20,64})", e!()),
        entropy: Some(3.0),
        description: "GitLab personal, project or group access token.",
        sample: q(&[Lit("glpat-"), Rand(URL, 20)]),
        ..BASE
    },
    Detector {
        id: "gitlab-pipeline-trigger-token",
        title: "GitLab pipeline trigger token",
        keywords: &["glptt-"],
        regex: concat!(s!(), "(glptt-[0-9a-f]{40})", e!()),
        description: "Token that can start pipelines of a GitLab project.",
        sample: q(&[Lit("glptt-"), Rand(HX, 40)]),
        ..BASE
    },
    Detector {
        id: "gitlab-runner-token",
        title: "GitLab runner authentication token",
        keywords: &["glrt-"],
        regex: concat!(s!(), r"(glrt-[A-Za-z0-9_\-]{20,})", e!()),
        description: "Authentication token of a registered GitLab runner.",
        sample: q(&[Lit("glrt-"), Rand(URL, 20)]),
        ..BASE
    },
    Detector {
        id: "gitlab-runner-registration-token",
        title: "GitLab runner registration token",
        keywords: &["gr1348941"],
        regex: concat!(s!(), r"(GR1348941[A-Za-z0-9_\-]{20})", e!()),
        description: "Legacy token that registers new runners.",
        sample: q(&[Lit("GR1348941"), Rand(URL, 20)]),
        ..BASE
    },
    Detector {
        id: "gitlab-deploy-token",
        title: "GitLab deploy token",
        keywords: &["gldt-"],
        regex: concat!(s!(), r"(gldt-[A-Za-z0-9_\-]{20,})", e!()),
        description: "Deploy token with read (or write) access to a repository or registry.",
        sample: q(&[Lit("gldt-"), Rand(URL, 20)]),
        ..BASE
    },
    Detector {
        id: "gitlab-feed-token",
        title: "GitLab feed token",
        severity: Medium,
        keywords: &["glft-"],
        regex: concat!(s!(), r"(glft-[A-Za-z0-9_\-]{20})", e!()),
        description: "Token for RSS/Atom and calendar feeds of a GitLab user.",
        sample: q(&[Lit("glft-"), Rand(URL, 20)]),
        ..BASE
    },
    Detector {
        id: "gitlab-oauth-app-secret",
        title: "GitLab OAuth application secret",
        keywords: &["gloas-"],
        regex: concat!(s!(), r"(gloas-[A-Za-z0-9_\-]{64})", e!()),
        description: "Secret of a GitLab OAuth application.",
        sample: q(&[Lit("gloas-"), Rand(URL, 64)]),
        ..BASE
    },
    Detector {
        id: "gitlab-ci-job-token",
        title: "GitLab CI/CD job token",
        severity: Medium,
        keywords: &["glcbt-"],
        regex: concat!(s!(), r"(glcbt-[0-9a-f]{1,5}_[A-Za-z0-9_\-]{20})", e!()),
        description: "Short-lived CI_JOB_TOKEN of a GitLab job.",
        sample: q(&[Lit("glcbt-"), Rand(HX, 2), Lit("_"), Rand(AN, 20)]),
        ..BASE
    },
    Detector {
        id: "gitlab-agent-token",
        title: "GitLab agent for Kubernetes token",
        keywords: &["glagent-"],
        regex: concat!(s!(), r"(glagent-[A-Za-z0-9_\-]{50})", e!()),
        description: "Token of a GitLab agent for Kubernetes.",
        sample: q(&[Lit("glagent-"), Rand(URL, 50)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Slack
    Detector {
        id: "slack-bot-token",
        title: "Slack bot token",
        keywords: &["xoxb-"],
        regex: concat!(s!(), "(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24})", e!()),
        description: "Bot user OAuth token of a Slack app.",
        sample: q(&[Lit("xoxb-"), Rand(DI, 12), Lit("-"), Rand(DI, 13), Lit("-"), Rand(AN, 24)]),
        ..BASE
    },
    Detector {
        id: "slack-user-token",
        title: "Slack user token",
        keywords: &["xoxp-"],
        regex: concat!(s!(), "(xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32})", e!()),
        description: "User OAuth token acting with a Slack user's permissions.",
        sample: q(&[Lit("xoxp-"), Rand(DI, 12), Lit("-"), Rand(DI, 12), Lit("-"), Rand(DI, 13), Lit("-"), Rand(HX, 32)]),
        ..BASE
    },
    Detector {
        id: "slack-app-token",
        title: "Slack app-level token",
        keywords: &["xapp-"],
        regex: concat!(s!(), "(xapp-[0-9]-[A-Z0-9]{9,11}-[0-9]{10,13}-[a-f0-9]{64})", e!()),
        description: "App-level token (Socket Mode, event authorizations).",
        sample: q(&[Lit("xapp-1-"), Rand(UPD, 11), Lit("-"), Rand(DI, 13), Lit("-"), Rand(HX, 64)]),
        ..BASE
    },
    Detector {
        id: "slack-legacy-token",
        title: "Slack legacy workspace/refresh token",
        keywords: &["xoxa-", "xoxr-", "xoxs-"],
        regex: concat!(s!(), "(xox[ars]-[0-9]{8,14}-[0-9]{8,14}(?:-[0-9]{8,14})?-[A-Za-z0-9]{24,64})", e!()),
        description: "Legacy Slack workspace, refresh or session token.",
        sample: q(&[Lit("xoxs-"), Rand(DI, 12), Lit("-"), Rand(DI, 12), Lit("-"), Rand(AN, 32)]),
        ..BASE
    },
    Detector {
        id: "slack-config-token",
        title: "Slack configuration access token",
        keywords: &["xoxe.xox"],
        regex: concat!(s!(), "(xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{150,170})", e!()),
        description: "App configuration token that can create and modify Slack apps.",
        sample: q(&[Lit("xoxe.xoxp-1-"), Rand(AN, 163)]),
        ..BASE
    },
    Detector {
        id: "slack-webhook-url",
        title: "Slack incoming webhook URL",
        keywords: &["hooks.slack.com"],
        regex: r"hooks\.slack\.com/(?:services|workflows|triggers)/(T[A-Z0-9]{8,12}/[AB][A-Z0-9]{8,12}/[A-Za-z0-9]{24,32})",
        description: "Anyone holding the URL can post into the channel.",
        sample: ctx(
            "webhook: https://hooks.slack.com/services/",
            &[Lit("T"), Rand(UPD, 10), Lit("/B"), Rand(UPD, 10), Lit("/"), Rand(AN, 24)],
            "\n",
        ),
        ..BASE
    },
    // ---------------------------------------------------------------- Payments
    Detector {
        id: "stripe-live-secret-key",
        title: "Stripe live secret key",
        severity: Critical,
        keywords: &["sk_live_"],
        regex: concat!(s!(), "(sk_live_[A-Za-z0-9]{24,99})", e!()),
        entropy: Some(3.0),
        description: "Full API access to a live Stripe account.",
        sample: q(&[Lit("sk_live_"), Rand(AN, 24)]),
        ..BASE
    },
    Detector {
        id: "stripe-test-secret-key",
        title: "Stripe test secret key",
        severity: Low,
        keywords: &["sk_test_"],
        regex: concat!(s!(), "(sk_test_[A-Za-z0-9]{24,99})", e!()),
        entropy: Some(3.0),
        description: "Stripe test-mode key: no money moves, but it exposes test data and settings.",
        sample: q(&[Lit("sk_test_"), Rand(AN, 24)]),
        ..BASE
    },
    Detector {
        id: "stripe-restricted-key",
        title: "Stripe restricted key",
        keywords: &["rk_live_", "rk_test_"],
        regex: concat!(s!(), "(rk_(?:live|test)_[A-Za-z0-9]{24,99})", e!()),
        entropy: Some(3.0),
        description: "Stripe restricted API key with selected permissions.",
        sample: q(&[Lit("rk_live_"), Rand(AN, 24)]),
        ..BASE
    },
    Detector {
        id: "stripe-webhook-secret",
        title: "Webhook signing secret (Stripe/Svix)",
        severity: Medium,
        keywords: &["whsec_"],
        regex: concat!(s!(), "(whsec_[A-Za-z0-9+/]{32,})", e64!()),
        description: "Lets the holder forge webhook events that the receiver will trust.",
        sample: q(&[Lit("whsec_"), Rand(AN, 32)]),
        ..BASE
    },
    Detector {
        id: "square-access-token",
        title: "Square access token",
        severity: Critical,
        keywords: &["eaaa", "sq0atp-"],
        regex: concat!(s!(), r"((?:EAAA|sq0atp-)[A-Za-z0-9_\-]{22,60})", e!()),
        entropy: Some(3.5),
        description: "Square production or sandbox access token.",
        sample: q(&[Lit("EAAA"), Rand(URL, 60)]),
        ..BASE
    },
    Detector {
        id: "square-oauth-secret",
        title: "Square OAuth application secret",
        keywords: &["sq0csp-"],
        regex: concat!(s!(), r"(sq0csp-[A-Za-z0-9_\-]{43})", e!()),
        description: "OAuth secret of a Square application.",
        sample: q(&[Lit("sq0csp-"), Rand(URL, 43)]),
        ..BASE
    },
    Detector {
        id: "braintree-access-token",
        title: "PayPal Braintree access token",
        severity: Critical,
        keywords: &["access_token$production$", "access_token$sandbox$"],
        regex: r"(access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32})",
        description: "Braintree gateway access token.",
        sample: q(&[Lit("access_token$production$"), Rand(LOD, 16), Lit("$"), Rand(HX, 32)]),
        ..BASE
    },
    Detector {
        id: "braintree-private-key",
        title: "Braintree API private key",
        keywords: &["braintree"],
        regex: kv!(r"braintree[a-z_\-]*private[_\-]?key", "[a-f0-9]{32}"),
        description: "Private key of a Braintree API key pair.",
        sample: ctx("BRAINTREE_PRIVATE_KEY=", &[Rand(HX, 32)], "\n"),
        ..BASE
    },
    Detector {
        id: "paypal-client-secret",
        title: "PayPal REST client secret",
        keywords: &["paypal"],
        regex: kv!(r"paypal[a-z_\-]*secret", r"[A-Za-z0-9_\-]{80}"),
        description: "Client secret of a PayPal REST application.",
        sample: ctx("PAYPAL_CLIENT_SECRET=", &[Rand(URL, 80)], "\n"),
        ..BASE
    },
    Detector {
        id: "shippo-api-token",
        title: "Shippo API token",
        keywords: &["shippo_live_", "shippo_test_"],
        regex: concat!(s!(), "(shippo_(?:live|test)_[a-f0-9]{40})", e!()),
        description: "Shippo shipping API token.",
        sample: q(&[Lit("shippo_live_"), Rand(HX, 40)]),
        ..BASE
    },
    Detector {
        id: "flutterwave-secret-key",
        title: "Flutterwave secret key",
        keywords: &["flwseck"],
        regex: concat!(s!(), "(FLWSECK(?:_TEST)?-[a-f0-9]{32}-X)", e!()),
        description: "Flutterwave payments secret key.",
        sample: q(&[Lit("FLWSECK-"), Rand(HX, 32), Lit("-X")]),
        ..BASE
    },
    Detector {
        id: "plaid-access-token",
        title: "Plaid access token",
        keywords: &["access-production-", "access-sandbox-", "access-development-"],
        regex: concat!(s!(), "(access-(?:production|sandbox|development)-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})", e!()),
        description: "Plaid token giving access to a user's linked bank items.",
        sample: q(&[Lit("access-production-"), Rand(HX, 8), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 12)]),
        ..BASE
    },
    Detector {
        id: "duffel-api-token",
        title: "Duffel API token",
        keywords: &["duffel_test_", "duffel_live_"],
        regex: concat!(s!(), r"(duffel_(?:test|live)_[A-Za-z0-9_\-=]{43})", e!()),
        description: "Duffel travel API token.",
        sample: q(&[Lit("duffel_live_"), Rand(URL, 43)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Messaging / email
    Detector {
        id: "twilio-api-key",
        title: "Twilio API key SID",
        keywords: &["twilio"],
        regex: concat!(s!(), "(SK[0-9a-fA-F]{32})", e!()),
        description: "Twilio API key identifier (on a line that mentions Twilio).",
        sample: ctx("TWILIO_API_KEY=", &[Lit("SK"), Rand(HX, 32)], "\n"),
        ..BASE
    },
    Detector {
        id: "twilio-auth-token",
        title: "Twilio auth token / API secret",
        keywords: &["twilio"],
        regex: kv!(r"twilio[a-z_\-]*(?:token|secret)", "[a-f0-9]{32}"),
        description: "Primary auth token or API key secret of a Twilio account.",
        sample: ctx("TWILIO_AUTH_TOKEN=", &[Rand(HX, 32)], "\n"),
        ..BASE
    },
    Detector {
        id: "sendgrid-api-key",
        title: "SendGrid API key",
        keywords: &["sg."],
        regex: concat!(s!(), r"(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})", e!()),
        description: "SendGrid API key; can send mail as the account.",
        sample: q(&[Lit("SG."), Rand(URL, 22), Lit("."), Rand(URL, 43)]),
        ..BASE
    },
    Detector {
        id: "mailgun-api-key",
        title: "Mailgun API key",
        keywords: &["mailgun"],
        regex: kv!(r"mailgun", "(?:key-)?[0-9a-f]{32}(?:-[0-9a-f]{8}-[0-9a-f]{8})?"),
        description: "Mailgun account or domain sending key.",
        sample: ctx("MAILGUN_API_KEY=", &[Rand(HX, 32), Lit("-"), Rand(HX, 8), Lit("-"), Rand(HX, 8)], "\n"),
        ..BASE
    },
    Detector {
        id: "mailgun-private-key",
        title: "Mailgun private key (legacy format)",
        keywords: &["key-"],
        regex: concat!(s!(), "(key-[0-9a-f]{32})", e!()),
        entropy: Some(3.0),
        description: "Legacy Mailgun private API key.",
        sample: q(&[Lit("key-"), Rand(HX, 32)]),
        ..BASE
    },
    Detector {
        id: "mailchimp-api-key",
        title: "Mailchimp API key",
        keywords: &["-us"],
        regex: concat!(s!(), "([0-9a-f]{32}-us[0-9]{1,2})", e!()),
        entropy: Some(3.0),
        description: "Mailchimp Marketing API key (the suffix is the data centre).",
        sample: q(&[Rand(HX, 32), Lit("-us14")]),
        ..BASE
    },
    Detector {
        id: "mandrill-api-key",
        title: "Mailchimp Transactional (Mandrill) API key",
        keywords: &["mandrill"],
        regex: kv!(r"mandrill", r"[A-Za-z0-9_\-]{22}"),
        description: "Mandrill transactional email key.",
        sample: ctx("MANDRILL_API_KEY=", &[Rand(AN, 22)], "\n"),
        ..BASE
    },
    Detector {
        id: "brevo-api-key",
        title: "Brevo (Sendinblue) API key",
        keywords: &["xkeysib-"],
        regex: concat!(s!(), "(xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16})", e!()),
        description: "Brevo email/SMS API key.",
        sample: q(&[Lit("xkeysib-"), Rand(HX, 64), Lit("-"), Rand(AN, 16)]),
        ..BASE
    },
    Detector {
        id: "postmark-server-token",
        title: "Postmark server token",
        keywords: &["postmark"],
        regex: kv!(r"postmark", "[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}"),
        description: "Postmark server API token.",
        sample: ctx("POSTMARK_SERVER_TOKEN=", &[Rand(HX, 8), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 12)], "\n"),
        ..BASE
    },
    Detector {
        id: "telegram-bot-token",
        title: "Telegram bot token",
        keywords: &[":aa"],
        regex: concat!(s!(), r"([0-9]{8,10}:AA[A-Za-z0-9_\-]{33})", e!()),
        entropy: Some(3.0),
        description: "Token controlling a Telegram bot.",
        sample: q(&[Rand(DI, 10), Lit(":AA"), Rand(URL, 33)]),
        ..BASE
    },
    Detector {
        id: "discord-bot-token",
        title: "Discord bot token",
        keywords: &["discord"],
        regex: concat!(s!(), r"([MNO][A-Za-z0-9_\-]{23,25}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38})", e!()),
        entropy: Some(3.5),
        description: "Bot token (on a line that mentions Discord).",
        sample: ctx("DISCORD_BOT_TOKEN=", &[Lit("M"), Rand(AN, 25), Lit("."), Rand(URL, 6), Lit("."), Rand(URL, 38)], "\n"),
        ..BASE
    },
    Detector {
        id: "discord-webhook-url",
        title: "Discord webhook URL",
        keywords: &["/api/webhooks/"],
        regex: r"discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/([A-Za-z0-9_\-]{60,68})",
        description: "Anyone holding the URL can post into the channel.",
        sample: ctx("hook = \"https://discord.com/api/webhooks/", &[Rand(DI, 18), Lit("/"), Rand(URL, 68)], "\"\n"),
        ..BASE
    },
    Detector {
        id: "facebook-access-token",
        title: "Facebook / Meta access token",
        keywords: &["eaab", "eaac", "eaad", "eaag", "eaai"],
        regex: concat!(s!(), "(EAA[BCDGI][A-Za-z0-9]{80,})", e!()),
        entropy: Some(3.5),
        description: "Graph API user, page or system-user token.",
        sample: q(&[Lit("EAAB"), Rand(AN, 120)]),
        ..BASE
    },
    Detector {
        id: "twitter-bearer-token",
        title: "X (Twitter) app bearer token",
        keywords: &["aaaaaaaaaaaaaaaaaaaaa"],
        regex: concat!(s!(), "(AAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{60,120})", e!()),
        description: "App-only bearer token of the X API.",
        sample: q(&[Lit("AAAAAAAAAAAAAAAAAAAAA"), Rand(AN, 90)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Package registries / CI
    Detector {
        id: "npm-access-token",
        title: "npm access token",
        severity: Critical,
        keywords: &["npm_"],
        regex: concat!(s!(), "(npm_[A-Za-z0-9]{36})", e!()),
        entropy: Some(3.0),
        description: "npm token that can publish packages.",
        sample: q(&[Lit("npm_"), Rand(AN, 36)]),
        ..BASE
    },
    Detector {
        id: "npmrc-auth-token",
        title: "Auth token in .npmrc",
        keywords: &["_authtoken"],
        regex: r"(?i)_authToken\s*=\s*([A-Za-z0-9_\-.+/=]{20,})",
        entropy: Some(3.0),
        description: "Registry credential in an npm/yarn configuration file.",
        sample: ctx("//registry.npmjs.org/:_authToken=", &[Rand(AN, 36)], "\n"),
        ..BASE
    },
    Detector {
        id: "pypi-upload-token",
        title: "PyPI upload token",
        severity: Critical,
        keywords: &["pypi-ag"],
        regex: concat!(s!(), r"(pypi-Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,})", e!()),
        description: "API token that can upload to PyPI (or TestPyPI).",
        sample: q(&[Lit("pypi-AgEIcHlwaS5vcmc"), Rand(URL, 70)]),
        ..BASE
    },
    Detector {
        id: "rubygems-api-key",
        title: "RubyGems API key",
        keywords: &["rubygems_"],
        regex: concat!(s!(), "(rubygems_[a-f0-9]{48})", e!()),
        description: "RubyGems.org key that can push gems.",
        sample: q(&[Lit("rubygems_"), Rand(HX, 48)]),
        ..BASE
    },
    Detector {
        id: "nuget-api-key",
        title: "NuGet API key",
        keywords: &["oy2"],
        regex: concat!(s!(), "(oy2[a-z0-9]{43})", e!()),
        entropy: Some(3.5),
        description: "nuget.org key that can push packages.",
        sample: q(&[Lit("oy2"), Rand(LOD, 43)]),
        ..BASE
    },
    Detector {
        id: "clojars-deploy-token",
        title: "Clojars deploy token",
        keywords: &["clojars_"],
        regex: concat!(s!(), "(CLOJARS_[a-z0-9]{60})", e!()),
        description: "Clojars token that can deploy artifacts.",
        sample: q(&[Lit("CLOJARS_"), Rand(LOD, 60)]),
        ..BASE
    },
    Detector {
        id: "docker-hub-pat",
        title: "Docker Hub personal access token",
        keywords: &["dckr_pat_"],
        regex: concat!(s!(), r"(dckr_pat_[A-Za-z0-9_\-]{27})", e!()),
        description: "Docker Hub access token (push/pull images).",
        sample: q(&[Lit("dckr_pat_"), Rand(URL, 27)]),
        ..BASE
    },
    Detector {
        id: "docker-config-auth",
        title: "Registry credential in Docker config",
        keywords: &["\"auth\""],
        regex: r#""auth"\s*:\s*"([A-Za-z0-9+/]{16,}={0,2})""#,
        entropy: Some(3.0),
        description: "base64 user:password in a Docker config.json / dockerconfigjson.",
        sample: ctx("{\"auths\": {\"registry.example.org\": {\"auth\": \"", &[Rand(B64, 40)], "\"}}}\n"),
        ..BASE
    },
    Detector {
        id: "artifactory-api-key",
        title: "JFrog Artifactory API key",
        keywords: &["akcp"],
        regex: concat!(s!(), "(AKCp[A-Za-z0-9]{69})", e!()),
        description: "Artifactory API key.",
        sample: q(&[Lit("AKCp"), Rand(AN, 69)]),
        ..BASE
    },
    Detector {
        id: "circleci-pat",
        title: "CircleCI personal API token",
        keywords: &["ccipat_"],
        regex: concat!(s!(), "(CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40})", e!()),
        description: "CircleCI personal token.",
        sample: q(&[Lit("CCIPAT_"), Rand(AN, 22), Lit("_"), Rand(HX, 40)]),
        ..BASE
    },
    Detector {
        id: "buildkite-api-token",
        title: "Buildkite API access token",
        keywords: &["bkua_"],
        regex: concat!(s!(), "(bkua_[a-f0-9]{40})", e!()),
        description: "Buildkite user API token.",
        sample: q(&[Lit("bkua_"), Rand(HX, 40)]),
        ..BASE
    },
    Detector {
        id: "sonarqube-token",
        title: "SonarQube / SonarCloud token",
        keywords: &["squ_", "sqp_", "sqa_"],
        regex: concat!(s!(), "(sq[upa]_[a-f0-9]{40})", e!()),
        description: "SonarQube user, project or global analysis token.",
        sample: q(&[Lit("squ_"), Rand(HX, 40)]),
        ..BASE
    },
    Detector {
        id: "harness-pat",
        title: "Harness access token",
        keywords: &["pat."],
        regex: concat!(s!(), r"(pat\.[A-Za-z0-9_\-]{22}\.[a-f0-9]{24}\.[A-Za-z0-9]{20})", e!()),
        description: "Harness personal access token.",
        sample: q(&[Lit("pat."), Rand(URL, 22), Lit("."), Rand(HX, 24), Lit("."), Rand(AN, 20)]),
        ..BASE
    },
    Detector {
        id: "octopus-deploy-api-key",
        title: "Octopus Deploy API key",
        keywords: &["octopus"],
        regex: kv!(r"octopus", "API-[A-Z0-9]{26,32}"),
        description: "Octopus Deploy API key.",
        sample: ctx("OCTOPUS_API_KEY=", &[Lit("API-"), Rand(UPD, 28)], "\n"),
        ..BASE
    },
    Detector {
        id: "prefect-api-key",
        title: "Prefect API key",
        keywords: &["pnu_"],
        regex: concat!(s!(), "(pnu_[A-Za-z0-9]{36})", e!()),
        description: "Prefect Cloud API key.",
        sample: q(&[Lit("pnu_"), Rand(AN, 36)]),
        ..BASE
    },
    Detector {
        id: "readme-api-key",
        title: "ReadMe API key",
        keywords: &["rdme_"],
        regex: concat!(s!(), "(rdme_[a-z0-9]{70})", e!()),
        description: "ReadMe documentation platform API key.",
        sample: q(&[Lit("rdme_"), Rand(LOD, 70)]),
        ..BASE
    },
    Detector {
        id: "infracost-api-key",
        title: "Infracost API key",
        keywords: &["ico-"],
        regex: concat!(s!(), "(ico-[A-Za-z0-9]{32})", e!()),
        entropy: Some(3.0),
        description: "Infracost pricing API key.",
        sample: q(&[Lit("ico-"), Rand(AN, 32)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Private keys
    Detector {
        id: "private-key-rsa",
        title: "RSA private key",
        severity: Critical,
        keywords: &["begin rsa private key"],
        regex: pem!("RSA PRIVATE KEY"),
        multiline: true,
        description: "PEM-encoded PKCS#1 RSA private key.",
        sample: ctx("", &[Lit("-----BEGIN RSA PRIVATE KEY-----\n"), Rand(B64, 64), Lit("\n"), Rand(B64, 64), Lit("\n-----END RSA PRIVATE KEY-----")], "\n"),
        ..BASE
    },
    Detector {
        id: "private-key-ec",
        title: "EC private key",
        severity: Critical,
        keywords: &["begin ec private key"],
        regex: pem!("EC PRIVATE KEY"),
        multiline: true,
        description: "PEM-encoded SEC1 elliptic-curve private key.",
        sample: ctx("", &[Lit("-----BEGIN EC PRIVATE KEY-----\n"), Rand(B64, 64), Lit("\n"), Rand(B64, 64), Lit("\n-----END EC PRIVATE KEY-----")], "\n"),
        ..BASE
    },
    Detector {
        id: "private-key-dsa",
        title: "DSA private key",
        severity: Critical,
        keywords: &["begin dsa private key"],
        regex: pem!("DSA PRIVATE KEY"),
        multiline: true,
        description: "PEM-encoded DSA private key.",
        sample: ctx("", &[Lit("-----BEGIN DSA PRIVATE KEY-----\n"), Rand(B64, 64), Lit("\n"), Rand(B64, 64), Lit("\n-----END DSA PRIVATE KEY-----")], "\n"),
        ..BASE
    },
    Detector {
        id: "private-key-openssh",
        title: "OpenSSH private key",
        severity: Critical,
        keywords: &["begin openssh private key"],
        regex: pem!("OPENSSH PRIVATE KEY"),
        multiline: true,
        description: "OpenSSH-format private key (may or may not be passphrase-protected).",
        sample: ctx("", &[Lit("-----BEGIN OPENSSH PRIVATE KEY-----\n"), Rand(B64, 70), Lit("\n"), Rand(B64, 70), Lit("\n-----END OPENSSH PRIVATE KEY-----")], "\n"),
        ..BASE
    },
    Detector {
        id: "private-key-pkcs8",
        title: "PKCS#8 private key",
        severity: Critical,
        keywords: &["begin private key"],
        regex: pem!("PRIVATE KEY"),
        multiline: true,
        description: "Unencrypted PKCS#8 private key (any algorithm).",
        sample: ctx("", &[Lit("-----BEGIN PRIVATE KEY-----\n"), Rand(B64, 64), Lit("\n"), Rand(B64, 64), Lit("\n-----END PRIVATE KEY-----")], "\n"),
        ..BASE
    },
    Detector {
        id: "private-key-pkcs8-encrypted",
        title: "Encrypted PKCS#8 private key",
        severity: Medium,
        keywords: &["begin encrypted private key"],
        regex: pem!("ENCRYPTED PRIVATE KEY"),
        multiline: true,
        description: "Passphrase-protected private key; exposure still enables offline guessing.",
        sample: ctx("", &[Lit("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"), Rand(B64, 64), Lit("\n"), Rand(B64, 64), Lit("\n-----END ENCRYPTED PRIVATE KEY-----")], "\n"),
        ..BASE
    },
    Detector {
        id: "private-key-pgp",
        title: "PGP private key block",
        severity: Critical,
        keywords: &["begin pgp private key block"],
        regex: concat!(
            r"-----BEGIN PGP PRIVATE KEY BLOCK-----\r?\n((?:[A-Za-z][A-Za-z\-]*: [^\r\n]*\r?\n)*\r?\n?[A-Za-z0-9+/=\r\n]{100,}?)\r?\n?",
            r"(?:=[A-Za-z0-9+/]{4}\r?\n)?-----END PGP PRIVATE KEY BLOCK-----"
        ),
        multiline: true,
        description: "ASCII-armoured OpenPGP secret key.",
        sample: ctx("", &[Lit("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n"), Rand(B64, 64), Lit("\n"), Rand(B64, 64), Lit("\n-----END PGP PRIVATE KEY BLOCK-----")], "\n"),
        ..BASE
    },
    Detector {
        id: "private-key-putty",
        title: "PuTTY private key",
        severity: Critical,
        keywords: &["putty-user-key-file-"],
        regex: r"PuTTY-User-Key-File-[0-9]: [^\r\n]+\r?\n(?:[^\r\n]*\r?\n){0,12}?Private-Lines: [0-9]+\r?\n([A-Za-z0-9+/=\r\n]{64,})",
        multiline: true,
        description: "PuTTY .ppk private key.",
        sample: ctx("", &[Lit("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: k\nPublic-Lines: 1\nAAAAC3NzaC1lZDI1NTE5\nPrivate-Lines: 1\n"), Rand(B64, 64)], "\n"),
        ..BASE
    },
    Detector {
        id: "kubeconfig-client-key-data",
        title: "Kubernetes client key in kubeconfig",
        severity: Critical,
        keywords: &["client-key-data"],
        regex: r"client-key-data:\s*([A-Za-z0-9+/]{100,}={0,2})",
        description: "base64 private key of a kubeconfig user.",
        sample: ctx("    client-key-data: ", &[Lit("LS0tLS1CRUdJTi"), Rand(B64, 120)], "\n"),
        ..BASE
    },
    Detector {
        id: "age-secret-key",
        title: "age secret key",
        severity: Critical,
        keywords: &["age-secret-key-1"],
        regex: concat!(s!(), "(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})", e!()),
        description: "X25519 identity of the age encryption tool (often decrypts SOPS files).",
        sample: q(&[Lit("AGE-SECRET-KEY-1"), Rand(BECH, 58)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Tokens with structure
    Detector {
        id: "jwt",
        title: "JSON Web Token",
        severity: Medium,
        keywords: &["eyj"],
        regex: concat!(s!(), r"(eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,})", e!()),
        entropy: Some(3.0),
        description: "Signed JWT; valid until it expires, often much longer than intended.",
        sample: q(&[Lit("eyJhbGciOiJIUzI1NiJ9.eyJ"), Rand(URL, 40), Lit("."), Rand(URL, 43)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Database URLs
    Detector {
        id: "postgres-url-password",
        title: "PostgreSQL URL with password",
        severity: Critical,
        keywords: &["postgres://", "postgresql://", "pgsql://"],
        regex: r#"(?i)(?:postgres(?:ql)?|pgsql)(?:\+[a-z0-9]+)?://[^\s:/@"'`<>]+:([^\s:/@"'`<>]{6,})@[^\s/"'`<>:]+"#,
        allowlist: PLACEHOLDER_PASSWORDS,
        description: "Database connection URL with an embedded password.",
        sample: ctx("DATABASE_URL=postgres://app_user:", &[Rand(AN, 16)], "@db.internal.corp:5432/app\n"),
        ..BASE
    },
    Detector {
        id: "mysql-url-password",
        title: "MySQL/MariaDB URL with password",
        severity: Critical,
        keywords: &["mysql://", "mariadb://", "mysql+"],
        regex: r#"(?i)(?:mysql|mariadb)(?:\+[a-z0-9]+)?://[^\s:/@"'`<>]+:([^\s:/@"'`<>]{6,})@[^\s/"'`<>:]+"#,
        allowlist: PLACEHOLDER_PASSWORDS,
        description: "Database connection URL with an embedded password.",
        sample: ctx("db: mysql+pymysql://svc:", &[Rand(AN, 16)], "@mysql.internal:3306/shop\n"),
        ..BASE
    },
    Detector {
        id: "mongodb-url-password",
        title: "MongoDB URL with password",
        severity: Critical,
        keywords: &["mongodb://", "mongodb+srv://"],
        regex: r#"(?i)mongodb(?:\+srv)?://[^\s:/@"'`<>]+:([^\s:/@"'`<>]{6,})@[^\s/"'`<>]+"#,
        allowlist: PLACEHOLDER_PASSWORDS,
        description: "Database connection URL with an embedded password.",
        sample: ctx("MONGO_URI=mongodb+srv://svc:", &[Rand(AN, 16)], "@cluster0.abcde.mongodb.net/app\n"),
        ..BASE
    },
    Detector {
        id: "redis-url-password",
        title: "Redis URL with password",
        keywords: &["redis://", "rediss://"],
        regex: r#"(?i)rediss?://[^\s:/@"'`<>]*:([^\s:/@"'`<>]{6,})@[^\s/"'`<>:]+"#,
        allowlist: PLACEHOLDER_PASSWORDS,
        description: "Redis connection URL with an embedded password.",
        sample: ctx("REDIS_URL=rediss://default:", &[Rand(AN, 16)], "@cache.internal:6380/0\n"),
        ..BASE
    },
    Detector {
        id: "amqp-url-password",
        title: "AMQP (RabbitMQ) URL with password",
        keywords: &["amqp://", "amqps://"],
        regex: r#"(?i)amqps?://[^\s:/@"'`<>]+:([^\s:/@"'`<>]{6,})@[^\s/"'`<>:]+"#,
        allowlist: PLACEHOLDER_PASSWORDS,
        description: "Message broker URL with an embedded password.",
        sample: ctx("BROKER_URL=amqps://worker:", &[Rand(AN, 16)], "@mq.internal:5671/vhost\n"),
        ..BASE
    },
    Detector {
        id: "jdbc-url-password",
        title: "JDBC URL with password",
        keywords: &["jdbc:"],
        regex: r#"(?i)jdbc:[a-z0-9]+:[^\s"'`<>]*?[?&;]password=([^&;\s"'`<>]{6,})"#,
        allowlist: PLACEHOLDER_PASSWORDS,
        description: "JDBC connection string carrying a password parameter.",
        sample: ctx("url=jdbc:sqlserver://db.internal:1433;databaseName=app;user=svc;password=", &[Rand(AN, 16)], ";\n"),
        ..BASE
    },
    Detector {
        id: "url-embedded-credentials",
        title: "Credentials embedded in a URL",
        keywords: &["://"],
        regex: r#"(?i)(?:https?|ftps?|sftp|smtps?|ldaps?)://[A-Za-z0-9._%\-]+:([^\s:/@"'`<>]{6,})@[A-Za-z0-9.\-]+"#,
        entropy: Some(3.0),
        allowlist: PLACEHOLDER_PASSWORDS,
        description: "user:password@host in a web, FTP, SMTP or LDAP URL.",
        sample: ctx("mirror = \"https://deploy:", &[Rand(AN, 20)], "@artifacts.internal.corp/repo\"\n"),
        ..BASE
    },
    // ---------------------------------------------------------------- Commerce / SaaS
    Detector {
        id: "shopify-access-token",
        title: "Shopify Admin API access token",
        keywords: &["shpat_"],
        regex: concat!(s!(), "(shpat_[a-fA-F0-9]{32})", e!()),
        description: "Shopify Admin API token of a custom or private app.",
        sample: q(&[Lit("shpat_"), Rand(HX, 32)]),
        ..BASE
    },
    Detector {
        id: "shopify-custom-app-token",
        title: "Shopify custom app access token",
        keywords: &["shpca_"],
        regex: concat!(s!(), "(shpca_[a-fA-F0-9]{32})", e!()),
        description: "Shopify custom app token.",
        sample: q(&[Lit("shpca_"), Rand(HX, 32)]),
        ..BASE
    },
    Detector {
        id: "shopify-private-app-token",
        title: "Shopify private app password",
        keywords: &["shppa_"],
        regex: concat!(s!(), "(shppa_[a-fA-F0-9]{32})", e!()),
        description: "Shopify private app password.",
        sample: q(&[Lit("shppa_"), Rand(HX, 32)]),
        ..BASE
    },
    Detector {
        id: "shopify-shared-secret",
        title: "Shopify app shared secret",
        keywords: &["shpss_"],
        regex: concat!(s!(), "(shpss_[a-fA-F0-9]{32})", e!()),
        description: "Shared secret used to sign Shopify webhooks and OAuth.",
        sample: q(&[Lit("shpss_"), Rand(HX, 32)]),
        ..BASE
    },
    Detector {
        id: "hubspot-private-app-token",
        title: "HubSpot private app token",
        keywords: &["pat-na1-", "pat-eu1-"],
        regex: concat!(s!(), "(pat-(?:na|eu)1-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})", e!()),
        description: "HubSpot private app access token.",
        sample: q(&[Lit("pat-na1-"), Rand(HX, 8), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 12)]),
        ..BASE
    },
    Detector {
        id: "airtable-pat",
        title: "Airtable personal access token",
        keywords: &["airtable"],
        regex: concat!(s!(), r"(pat[A-Za-z0-9]{14}\.[a-f0-9]{64})", e!()),
        description: "Airtable PAT (on a line that mentions Airtable).",
        sample: ctx("AIRTABLE_TOKEN=", &[Lit("pat"), Rand(AN, 14), Lit("."), Rand(HX, 64)], "\n"),
        ..BASE
    },
    Detector {
        id: "asana-pat",
        title: "Asana personal access token",
        keywords: &["asana"],
        regex: kv!(r"asana", "[0-9]/[0-9]{16}:[A-Za-z0-9]{32}"),
        description: "Asana personal access token.",
        sample: ctx("ASANA_TOKEN=", &[Lit("1/"), Rand(DI, 16), Lit(":"), Rand(AN, 32)], "\n"),
        ..BASE
    },
    Detector {
        id: "contentful-pat",
        title: "Contentful personal access token",
        keywords: &["cfpat-"],
        regex: concat!(s!(), r"(CFPAT-[A-Za-z0-9_\-]{43})", e!()),
        description: "Contentful Management API token.",
        sample: q(&[Lit("CFPAT-"), Rand(URL, 43)]),
        ..BASE
    },
    Detector {
        id: "typeform-pat",
        title: "Typeform personal access token",
        keywords: &["tfp_"],
        regex: concat!(s!(), r"(tfp_[A-Za-z0-9_\-.=]{59})", e!()),
        description: "Typeform API token.",
        sample: q(&[Lit("tfp_"), Rand(AN, 59)]),
        ..BASE
    },
    Detector {
        id: "easypost-api-key",
        title: "EasyPost API key",
        keywords: &["ezak"],
        regex: concat!(s!(), "(EZ[AT]K[A-Za-z0-9]{54})", e!()),
        description: "EasyPost production or test key.",
        sample: q(&[Lit("EZAK"), Rand(AN, 54)]),
        ..BASE
    },
    Detector {
        id: "frameio-api-token",
        title: "Frame.io API token",
        keywords: &["fio-u-"],
        regex: concat!(s!(), r"(fio-u-[A-Za-z0-9_\-=]{64})", e!()),
        description: "Frame.io developer token.",
        sample: q(&[Lit("fio-u-"), Rand(URL, 64)]),
        ..BASE
    },
    Detector {
        id: "algolia-admin-key",
        title: "Algolia admin API key",
        keywords: &["algolia"],
        regex: kv!(r"algolia[a-z_\-]*(?:admin|write|secret)", "[a-f0-9]{32}"),
        description: "Algolia key with write access to indices.",
        sample: ctx("ALGOLIA_ADMIN_KEY=", &[Rand(HX, 32)], "\n"),
        ..BASE
    },
    Detector {
        id: "mapbox-secret-token",
        title: "Mapbox secret token",
        keywords: &["sk.eyj"],
        regex: concat!(s!(), r"(sk\.eyJ[A-Za-z0-9_\-]{50,}\.[A-Za-z0-9_\-]{22})", e!()),
        description: "Mapbox secret access token.",
        sample: q(&[Lit("sk.eyJ1Ijoi"), Rand(AN, 60), Lit("."), Rand(URL, 22)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Cloud / hosting
    Detector {
        id: "heroku-api-key",
        title: "Heroku API key (legacy UUID)",
        keywords: &["heroku"],
        regex: kv!(r"heroku", "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        description: "Heroku platform API key.",
        sample: ctx("HEROKU_API_KEY=", &[Rand(HX, 8), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 4), Lit("-"), Rand(HX, 12)], "\n"),
        ..BASE
    },
    Detector {
        id: "heroku-api-key-v2",
        title: "Heroku API key",
        keywords: &["hrku-"],
        regex: concat!(s!(), r"(HRKU-[A-Za-z0-9_\-]{60})", e!()),
        description: "Heroku platform API key (HRKU- format).",
        sample: q(&[Lit("HRKU-AA"), Rand(URL, 58)]),
        ..BASE
    },
    Detector {
        id: "digitalocean-pat",
        title: "DigitalOcean personal access token",
        severity: Critical,
        keywords: &["dop_v1_"],
        regex: concat!(s!(), "(dop_v1_[a-f0-9]{64})", e!()),
        description: "DigitalOcean API token.",
        sample: q(&[Lit("dop_v1_"), Rand(HX, 64)]),
        ..BASE
    },
    Detector {
        id: "digitalocean-oauth-token",
        title: "DigitalOcean OAuth token",
        keywords: &["doo_v1_"],
        regex: concat!(s!(), "(doo_v1_[a-f0-9]{64})", e!()),
        description: "DigitalOcean OAuth access token.",
        sample: q(&[Lit("doo_v1_"), Rand(HX, 64)]),
        ..BASE
    },
    Detector {
        id: "digitalocean-refresh-token",
        title: "DigitalOcean OAuth refresh token",
        keywords: &["dor_v1_"],
        regex: concat!(s!(), "(dor_v1_[a-f0-9]{64})", e!()),
        description: "DigitalOcean OAuth refresh token.",
        sample: q(&[Lit("dor_v1_"), Rand(HX, 64)]),
        ..BASE
    },
    Detector {
        id: "alibaba-access-key-id",
        title: "Alibaba Cloud AccessKey ID",
        keywords: &["ltai"],
        regex: concat!(s!(), "(LTAI[A-Za-z0-9]{12,20})", e!()),
        entropy: Some(3.0),
        description: "Alibaba Cloud RAM access key identifier.",
        sample: q(&[Lit("LTAI"), Rand(AN, 20)]),
        ..BASE
    },
    Detector {
        id: "alibaba-access-key-secret",
        title: "Alibaba Cloud AccessKey secret",
        severity: Critical,
        keywords: &["alibaba", "aliyun"],
        regex: kv!(r"alibaba|aliyun", "[A-Za-z0-9]{30}"),
        entropy: Some(3.5),
        description: "Secret of an Alibaba Cloud RAM access key.",
        sample: ctx("ALIBABA_CLOUD_ACCESS_KEY_SECRET=", &[Rand(AN, 30)], "\n"),
        ..BASE
    },
    Detector {
        id: "tencent-secret-id",
        title: "Tencent Cloud SecretId",
        keywords: &["akid"],
        regex: concat!(s!(), "(AKID[A-Za-z0-9]{32})", e!()),
        entropy: Some(3.0),
        description: "Tencent Cloud API key identifier.",
        sample: q(&[Lit("AKID"), Rand(AN, 32)]),
        ..BASE
    },
    Detector {
        id: "ibm-cloud-api-key",
        title: "IBM Cloud API key",
        keywords: &["ibm"],
        regex: kv!(r"ibm[a-z_\-]*(?:api)?[_\-]?key", r"[A-Za-z0-9_\-]{44}"),
        entropy: Some(3.5),
        description: "IBM Cloud IAM API key.",
        sample: ctx("IBMCLOUD_API_KEY=", &[Rand(URL, 44)], "\n"),
        ..BASE
    },
    Detector {
        id: "yandex-cloud-api-key",
        title: "Yandex Cloud API key",
        keywords: &["aqvn"],
        regex: concat!(s!(), r"(AQVN[A-Za-z0-9_\-]{35,38})", e!()),
        description: "Yandex Cloud service-account API key.",
        sample: q(&[Lit("AQVN"), Rand(URL, 36)]),
        ..BASE
    },
    Detector {
        id: "databricks-token",
        title: "Databricks personal access token",
        keywords: &["dapi"],
        regex: concat!(s!(), "(dapi[a-f0-9]{32}(?:-[0-9])?)", e!()),
        description: "Databricks workspace access token.",
        sample: q(&[Lit("dapi"), Rand(HX, 32)]),
        ..BASE
    },
    Detector {
        id: "cloudflare-api-token",
        title: "Cloudflare API token",
        keywords: &["cloudflare", "cf_api_token"],
        regex: kv!(r"cloudflare[a-z_\-]*token|cf_api_token", r"[A-Za-z0-9_\-]{40}"),
        entropy: Some(3.5),
        description: "Scoped Cloudflare API token.",
        sample: ctx("CLOUDFLARE_API_TOKEN=", &[Rand(URL, 40)], "\n"),
        ..BASE
    },
    Detector {
        id: "cloudflare-global-api-key",
        title: "Cloudflare global API key",
        severity: Critical,
        keywords: &["cloudflare", "cf_api_key"],
        regex: kv!(r"cloudflare[a-z_\-]*key|cf_api_key", "[a-f0-9]{37}"),
        description: "Account-wide Cloudflare key with every permission.",
        sample: ctx("CLOUDFLARE_API_KEY=", &[Rand(HX, 37)], "\n"),
        ..BASE
    },
    Detector {
        id: "cloudflare-origin-ca-key",
        title: "Cloudflare Origin CA key",
        keywords: &["v1.0-"],
        regex: concat!(s!(), r"(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})", e!()),
        description: "Key that issues Cloudflare origin certificates.",
        sample: q(&[Lit("v1.0-"), Rand(HX, 24), Lit("-"), Rand(HX, 146)]),
        ..BASE
    },
    Detector {
        id: "fastly-api-token",
        title: "Fastly API token",
        keywords: &["fastly"],
        regex: kv!(r"fastly[a-z_\-]*(?:token|key)", r"[A-Za-z0-9_\-]{32}"),
        entropy: Some(3.5),
        description: "Fastly API token.",
        sample: ctx("FASTLY_API_TOKEN=", &[Rand(URL, 32)], "\n"),
        ..BASE
    },
    Detector {
        id: "netlify-access-token",
        title: "Netlify personal access token",
        keywords: &["nfp_"],
        regex: concat!(s!(), "(nfp_[A-Za-z0-9]{36})", e!()),
        description: "Netlify access token.",
        sample: q(&[Lit("nfp_"), Rand(AN, 36)]),
        ..BASE
    },
    Detector {
        id: "netlify-legacy-token",
        title: "Netlify access token (legacy)",
        keywords: &["netlify"],
        regex: kv!(r"netlify[a-z_\-]*(?:token|key)", r"[A-Za-z0-9_\-]{40,46}"),
        entropy: Some(3.5),
        description: "Netlify access token without a prefix.",
        sample: ctx("NETLIFY_AUTH_TOKEN=", &[Rand(URL, 43)], "\n"),
        ..BASE
    },
    Detector {
        id: "vercel-token",
        title: "Vercel access token",
        keywords: &["vercel"],
        regex: kv!(r"vercel[a-z_\-]*(?:token|key)", "[A-Za-z0-9]{24}"),
        entropy: Some(3.5),
        description: "Vercel account access token.",
        sample: ctx("VERCEL_TOKEN=", &[Rand(AN, 24)], "\n"),
        ..BASE
    },
    Detector {
        id: "fly-io-token",
        title: "Fly.io access token",
        keywords: &["fo1_"],
        regex: concat!(s!(), r"(fo1_[A-Za-z0-9_\-]{43})", e!()),
        description: "Fly.io organisation or personal token.",
        sample: q(&[Lit("fo1_"), Rand(URL, 43)]),
        ..BASE
    },
    Detector {
        id: "render-api-key",
        title: "Render API key",
        keywords: &["rnd_"],
        regex: concat!(s!(), "(rnd_[A-Za-z0-9]{32})", e!()),
        entropy: Some(3.0),
        description: "Render.com API key.",
        sample: q(&[Lit("rnd_"), Rand(AN, 32)]),
        ..BASE
    },
    Detector {
        id: "supabase-access-token",
        title: "Supabase personal access token",
        keywords: &["sbp_"],
        regex: concat!(s!(), "(sbp_[a-f0-9]{40})", e!()),
        description: "Supabase management API token.",
        sample: q(&[Lit("sbp_"), Rand(HX, 40)]),
        ..BASE
    },
    Detector {
        id: "planetscale-token",
        title: "PlanetScale token or password",
        keywords: &["pscale_"],
        regex: concat!(s!(), r"(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_\-.]{43})", e!()),
        description: "PlanetScale service token or database password.",
        sample: q(&[Lit("pscale_pw_"), Rand(URL, 43)]),
        ..BASE
    },
    Detector {
        id: "scalingo-api-token",
        title: "Scalingo API token",
        keywords: &["tk-us-"],
        regex: concat!(s!(), r"(tk-us-[A-Za-z0-9_\-]{48})", e!()),
        description: "Scalingo API token.",
        sample: q(&[Lit("tk-us-"), Rand(URL, 48)]),
        ..BASE
    },
    Detector {
        id: "defined-networking-api-token",
        title: "Defined Networking API token",
        keywords: &["dnkey-"],
        regex: concat!(s!(), r"(dnkey-[a-z0-9=_\-]{26}-[a-z0-9=_\-]{52})", e!()),
        description: "Defined Networking (Nebula) management token.",
        sample: q(&[Lit("dnkey-"), Rand(LOD, 26), Lit("-"), Rand(LOD, 52)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Observability
    Detector {
        id: "datadog-api-key",
        title: "Datadog API key",
        keywords: &["datadog", "dd_api_key", "dd-api-key", "ddapikey"],
        regex: kv!(r"(?:datadog|dd)[_\-]?api[_\-]?key", "[a-f0-9]{32}"),
        description: "Datadog API key (submits data to the org).",
        sample: ctx("DD_API_KEY=", &[Rand(HX, 32)], "\n"),
        ..BASE
    },
    Detector {
        id: "datadog-app-key",
        title: "Datadog application key",
        keywords: &["datadog", "dd_app", "dd-app", "ddapp"],
        regex: kv!(r"(?:datadog|dd)[_\-]?app(?:lication)?[_\-]?key", "[a-f0-9]{40}"),
        description: "Datadog application key (reads org data with its owner's rights).",
        sample: ctx("DATADOG_APP_KEY=", &[Rand(HX, 40)], "\n"),
        ..BASE
    },
    Detector {
        id: "newrelic-user-api-key",
        title: "New Relic user API key",
        keywords: &["nrak-"],
        regex: concat!(s!(), "(NRAK-[A-Z0-9]{27})", e!()),
        description: "New Relic user key for NerdGraph.",
        sample: q(&[Lit("NRAK-"), Rand(UPD, 27)]),
        ..BASE
    },
    Detector {
        id: "newrelic-insert-key",
        title: "New Relic insert key",
        severity: Medium,
        keywords: &["nrii-"],
        regex: concat!(s!(), r"(NRII-[A-Za-z0-9_\-]{32})", e!()),
        description: "New Relic event insert key.",
        sample: q(&[Lit("NRII-"), Rand(URL, 32)]),
        ..BASE
    },
    Detector {
        id: "newrelic-browser-key",
        title: "New Relic browser API token",
        severity: Low,
        keywords: &["nrjs-"],
        regex: concat!(s!(), "(NRJS-[a-f0-9]{19})", e!()),
        description: "New Relic browser ingest token.",
        sample: q(&[Lit("NRJS-"), Rand(HX, 19)]),
        ..BASE
    },
    Detector {
        id: "newrelic-license-key",
        title: "New Relic license (ingest) key",
        severity: Medium,
        keywords: &["nral"],
        regex: concat!(s!(), "([a-f0-9]{36}NRAL)", e!()),
        description: "New Relic ingest license key.",
        sample: q(&[Rand(HX, 36), Lit("NRAL")]),
        ..BASE
    },
    Detector {
        id: "sentry-user-token",
        title: "Sentry user auth token",
        keywords: &["sntryu_"],
        regex: concat!(s!(), "(sntryu_[a-f0-9]{64})", e!()),
        description: "Sentry personal auth token.",
        sample: q(&[Lit("sntryu_"), Rand(HX, 64)]),
        ..BASE
    },
    Detector {
        id: "sentry-org-token",
        title: "Sentry organization auth token",
        keywords: &["sntrys_"],
        regex: concat!(s!(), r"(sntrys_eyJ[A-Za-z0-9+/=_\-]{60,}_[A-Za-z0-9+/]{43})", e64!()),
        description: "Sentry org token (uploads releases and source maps).",
        sample: q(&[Lit("sntrys_eyJpYXQiOjE"), Rand(AN, 80), Lit("_"), Rand(AN, 43)]),
        ..BASE
    },
    Detector {
        id: "grafana-service-account-token",
        title: "Grafana service account token",
        keywords: &["glsa_"],
        regex: concat!(s!(), "(glsa_[A-Za-z0-9]{32}_[a-f0-9]{8})", e!()),
        description: "Grafana service account token.",
        sample: q(&[Lit("glsa_"), Rand(AN, 32), Lit("_"), Rand(HX, 8)]),
        ..BASE
    },
    Detector {
        id: "grafana-cloud-token",
        title: "Grafana Cloud access policy token",
        keywords: &["glc_"],
        regex: concat!(s!(), "(glc_[A-Za-z0-9+/]{32,400}={0,2})", e64!()),
        description: "Grafana Cloud token.",
        sample: q(&[Lit("glc_"), Rand(AN, 120)]),
        ..BASE
    },
    Detector {
        id: "grafana-api-key",
        title: "Grafana API key (legacy)",
        keywords: &["eyjrijoi"],
        regex: concat!(s!(), "(eyJrIjoi[A-Za-z0-9]{70,400}={0,2})", e64!()),
        description: "Legacy Grafana API key.",
        sample: q(&[Lit("eyJrIjoi"), Rand(AN, 80)]),
        ..BASE
    },
    Detector {
        id: "dynatrace-api-token",
        title: "Dynatrace API token",
        keywords: &["dt0c01."],
        regex: concat!(s!(), r"(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})", e!()),
        description: "Dynatrace API or PaaS token.",
        sample: q(&[Lit("dt0c01."), Rand(UPD, 24), Lit("."), Rand(UPD, 64)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Secrets managers / IaC
    Detector {
        id: "vault-service-token",
        title: "HashiCorp Vault service token",
        severity: Critical,
        keywords: &["hvs."],
        regex: concat!(s!(), r"(hvs\.[A-Za-z0-9_\-]{24,})", e!()),
        entropy: Some(3.5),
        description: "Vault service token carrying its policies.",
        sample: q(&[Lit("hvs."), Rand(URL, 90)]),
        ..BASE
    },
    Detector {
        id: "vault-batch-token",
        title: "HashiCorp Vault batch token",
        keywords: &["hvb."],
        regex: concat!(s!(), r"(hvb\.[A-Za-z0-9_\-]{100,})", e!()),
        entropy: Some(3.5),
        description: "Vault batch token.",
        sample: q(&[Lit("hvb."), Rand(URL, 140)]),
        ..BASE
    },
    Detector {
        id: "terraform-cloud-token",
        title: "Terraform Cloud / Enterprise API token",
        severity: Critical,
        keywords: &["atlasv1"],
        regex: concat!(s!(), r"([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,70})", e!()),
        description: "HCP Terraform user, team or org token.",
        sample: q(&[Rand(AN, 14), Lit(".atlasv1."), Rand(URL, 67)]),
        ..BASE
    },
    Detector {
        id: "pulumi-access-token",
        title: "Pulumi access token",
        keywords: &["pul-"],
        regex: concat!(s!(), "(pul-[a-f0-9]{40})", e!()),
        description: "Pulumi Cloud access token.",
        sample: q(&[Lit("pul-"), Rand(HX, 40)]),
        ..BASE
    },
    Detector {
        id: "doppler-service-token",
        title: "Doppler service token",
        keywords: &["dp.st."],
        regex: concat!(s!(), r"(dp\.st\.(?:[a-z0-9_\-]{2,35}\.)?[A-Za-z0-9]{40,44})", e!()),
        description: "Doppler service token (reads a config's secrets).",
        sample: q(&[Lit("dp.st.prd."), Rand(AN, 43)]),
        ..BASE
    },
    Detector {
        id: "doppler-token",
        title: "Doppler personal/CLI/SCIM/audit token",
        keywords: &["dp.pt.", "dp.ct.", "dp.sa.", "dp.scim.", "dp.audit."],
        regex: concat!(s!(), r"(dp\.(?:pt|ct|sa|scim|audit)\.[A-Za-z0-9]{40,44})", e!()),
        description: "Doppler account-level token.",
        sample: q(&[Lit("dp.pt."), Rand(AN, 43)]),
        ..BASE
    },
    Detector {
        id: "onepassword-service-account-token",
        title: "1Password service account token",
        severity: Critical,
        keywords: &["ops_eyj"],
        regex: concat!(s!(), "(ops_eyJ[A-Za-z0-9+/]{250,}={0,3})", e64!()),
        description: "1Password service account token (reads vaults).",
        sample: q(&[Lit("ops_eyJ"), Rand(AN, 260)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Storage / collaboration
    Detector {
        id: "dropbox-access-token",
        title: "Dropbox short-lived access token",
        keywords: &["sl."],
        regex: concat!(s!(), r"(sl\.[A-Za-z0-9_\-]{130,152})", e!()),
        entropy: Some(3.5),
        description: "Dropbox API access token.",
        sample: q(&[Lit("sl.B"), Rand(URL, 135)]),
        ..BASE
    },
    Detector {
        id: "dropbox-api-secret",
        title: "Dropbox app secret / long-lived token",
        keywords: &["dropbox"],
        regex: kv!(r"dropbox[a-z_\-]*(?:secret|token|key)", r"[A-Za-z0-9_\-]{11}AAAAAAAAAA[A-Za-z0-9_\-]{43}|[a-z0-9]{15}"),
        entropy: Some(3.0),
        description: "Dropbox app secret or long-lived token.",
        sample: ctx("DROPBOX_APP_SECRET=", &[Rand(LOD, 15)], "\n"),
        ..BASE
    },
    Detector {
        id: "okta-api-token",
        title: "Okta API token",
        severity: Critical,
        keywords: &["okta"],
        regex: kv!(r"okta", r"00[A-Za-z0-9_\-]{40}"),
        entropy: Some(3.5),
        description: "Okta admin API (SSWS) token.",
        sample: ctx("OKTA_API_TOKEN=", &[Lit("00"), Rand(URL, 40)], "\n"),
        ..BASE
    },
    Detector {
        id: "atlassian-api-token",
        title: "Atlassian API token",
        keywords: &["atatt3"],
        regex: concat!(s!(), r"(ATATT3[A-Za-z0-9_\-]{150,}=[A-F0-9]{8})", e!()),
        description: "Atlassian Cloud (Jira, Confluence) API token.",
        sample: q(&[Lit("ATATT3"), Rand(URL, 180), Lit("="), Rand(HXU, 8)]),
        ..BASE
    },
    Detector {
        id: "bitbucket-app-password",
        title: "Bitbucket app password",
        keywords: &["atbb"],
        regex: concat!(s!(), r"(ATBB[A-Za-z0-9_=.\-]{32})", e!()),
        description: "Bitbucket Cloud app password.",
        sample: q(&[Lit("ATBB"), Rand(AN, 32)]),
        ..BASE
    },
    Detector {
        id: "linear-api-key",
        title: "Linear API key",
        keywords: &["lin_api_"],
        regex: concat!(s!(), "(lin_api_[A-Za-z0-9]{40})", e!()),
        description: "Linear personal API key.",
        sample: q(&[Lit("lin_api_"), Rand(AN, 40)]),
        ..BASE
    },
    Detector {
        id: "linear-oauth-token",
        title: "Linear OAuth token",
        keywords: &["lin_oauth_"],
        regex: concat!(s!(), "(lin_oauth_[a-f0-9]{64})", e!()),
        description: "Linear OAuth access token.",
        sample: q(&[Lit("lin_oauth_"), Rand(HX, 64)]),
        ..BASE
    },
    Detector {
        id: "notion-integration-token",
        title: "Notion integration token",
        // The legacy `secret_` form only counts on lines that mention Notion:
        // "secret_" alone is everywhere in code.
        keywords: &["ntn_", "notion"],
        regex: concat!(s!(), "(ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})", e!()),
        entropy: Some(3.5),
        description: "Notion internal integration secret.",
        sample: q(&[Lit("ntn_"), Rand(DI, 11), Rand(AN, 35)]),
        ..BASE
    },
    Detector {
        id: "postman-api-key",
        title: "Postman API key",
        keywords: &["pmak-"],
        regex: concat!(s!(), "(PMAK-[a-f0-9]{24}-[a-f0-9]{34})", e!()),
        description: "Postman API key (workspaces, collections, environments).",
        sample: q(&[Lit("PMAK-"), Rand(HX, 24), Lit("-"), Rand(HX, 34)]),
        ..BASE
    },
    // ---------------------------------------------------------------- AI providers
    Detector {
        id: "openai-api-key",
        title: "OpenAI API key",
        severity: Critical,
        keywords: &["t3blbkfj"],
        regex: concat!(s!(), r"(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,})", e!()),
        description: "OpenAI API key (billed usage, org data).",
        sample: q(&[Lit("sk-proj-"), Rand(AN, 56), Lit("T3BlbkFJ"), Rand(AN, 56)]),
        ..BASE
    },
    Detector {
        id: "anthropic-api-key",
        title: "Anthropic API key",
        severity: Critical,
        keywords: &["sk-ant-api"],
        regex: concat!(s!(), r"(sk-ant-api[0-9]{2}-[A-Za-z0-9_\-]{93}AA)", e!()),
        description: "Anthropic API key (billed usage).",
        sample: q(&[Lit("sk-ant-api03-"), Rand(AN, 93), Lit("AA")]),
        ..BASE
    },
    Detector {
        id: "anthropic-admin-key",
        title: "Anthropic admin API key",
        severity: Critical,
        keywords: &["sk-ant-admin"],
        regex: concat!(s!(), r"(sk-ant-admin[0-9]{2}-[A-Za-z0-9_\-]{93}AA)", e!()),
        description: "Anthropic organisation admin key.",
        sample: q(&[Lit("sk-ant-admin01-"), Rand(AN, 93), Lit("AA")]),
        ..BASE
    },
    Detector {
        id: "huggingface-access-token",
        title: "Hugging Face access token",
        keywords: &["hf_"],
        regex: concat!(s!(), "(hf_[A-Za-z]{34})", e!()),
        entropy: Some(3.0),
        description: "Hugging Face user access token.",
        sample: q(&[Lit("hf_"), Rand(AL, 34)]),
        ..BASE
    },
    Detector {
        id: "huggingface-org-token",
        title: "Hugging Face organization token",
        keywords: &["api_org_"],
        regex: concat!(s!(), "(api_org_[A-Za-z]{34})", e!()),
        entropy: Some(3.0),
        description: "Hugging Face organization API token.",
        sample: q(&[Lit("api_org_"), Rand(AL, 34)]),
        ..BASE
    },
    Detector {
        id: "groq-api-key",
        title: "Groq API key",
        keywords: &["gsk_"],
        regex: concat!(s!(), "(gsk_[A-Za-z0-9]{52})", e!()),
        description: "Groq API key.",
        sample: q(&[Lit("gsk_"), Rand(AN, 52)]),
        ..BASE
    },
    Detector {
        id: "replicate-api-token",
        title: "Replicate API token",
        keywords: &["r8_"],
        regex: concat!(s!(), "(r8_[A-Za-z0-9]{37})", e!()),
        entropy: Some(3.0),
        description: "Replicate API token.",
        sample: q(&[Lit("r8_"), Rand(AN, 37)]),
        ..BASE
    },
    Detector {
        id: "perplexity-api-key",
        title: "Perplexity API key",
        keywords: &["pplx-"],
        regex: concat!(s!(), "(pplx-[A-Za-z0-9]{48})", e!()),
        description: "Perplexity API key.",
        sample: q(&[Lit("pplx-"), Rand(AN, 48)]),
        ..BASE
    },
    Detector {
        id: "xai-api-key",
        title: "xAI API key",
        keywords: &["xai-"],
        regex: concat!(s!(), "(xai-[A-Za-z0-9]{80})", e!()),
        description: "xAI (Grok) API key.",
        sample: q(&[Lit("xai-"), Rand(AN, 80)]),
        ..BASE
    },
    Detector {
        id: "langsmith-api-key",
        title: "LangSmith API key",
        keywords: &["lsv2_"],
        regex: concat!(s!(), "(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})", e!()),
        description: "LangSmith personal or service key.",
        sample: q(&[Lit("lsv2_pt_"), Rand(HX, 32), Lit("_"), Rand(HX, 10)]),
        ..BASE
    },
    // ---------------------------------------------------------------- Generic
    Detector {
        id: "generic-secret-assignment",
        title: "Secret-looking value assigned to a credential keyword",
        severity: Medium,
        keywords: &[
            "password", "passwd", "pwd", "secret", "token", "api_key", "apikey", "api-key", "access_key",
            "accesskey", "auth_key", "private_key", "credential",
        ],
        regex: concat!(
            r#"(?i)(?:password|passwd|pwd|secret|token|api[_\-]?key|access[_\-]?key|auth[_\-]?key|private[_\-]?key|credentials?)"#,
            r#"[a-z0-9_.\-]*["'`]?\s*(?::=|=>|=|:|\|\|=)\s*(?:["'`]([^"'`\s\\]{8,})["'`]|([A-Za-z0-9_+/=!@#%^*~.\-]{8,})(?:\s|[;,]|$))"#
        ),
        secret_group: 1,
        entropy: Some(3.5),
        generic: true,
        allowlist: DetectorAllowlist {
            paths: &[],
            regexes: &[],
            stopwords: &["password", "passwd", "secret", "token", "changeme", "redacted", "process.env", "getenv", "environ"],
        },
        description: "A keyword such as password, secret, token or api_key is assigned a random-looking literal.",
        sample: ctx("db_password = \"", &[Rand(PWD, 20)], "\"\n"),
        ..BASE
    },
    Detector {
        id: "generic-basic-auth-header",
        title: "HTTP Basic credentials",
        severity: Medium,
        keywords: &["basic "],
        regex: r"(?i)authorization[\x22'`]?\s*[:=]\s*[\x22'`]?basic\s+([A-Za-z0-9+/]{16,}={0,2})",
        entropy: Some(3.0),
        generic: true,
        description: "base64 user:password in an Authorization header.",
        sample: ctx("curl -H \"Authorization: Basic ", &[Rand(B64, 32)], "\" https://api.internal\n"),
        ..BASE
    },
    Detector {
        id: "generic-bearer-token",
        title: "Bearer token in an Authorization header",
        severity: Medium,
        keywords: &["bearer "],
        regex: r"(?i)authorization[\x22'`]?\s*[:=]\s*[\x22'`]?bearer\s+([A-Za-z0-9_\-.~+/]{20,}=*)",
        entropy: Some(3.5),
        generic: true,
        description: "Hard-coded bearer token.",
        sample: ctx("curl -H \"Authorization: Bearer ", &[Rand(URL, 40)], "\" https://api.internal\n"),
        ..BASE
    },
];
