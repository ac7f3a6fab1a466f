//! The adapter over real HCL: instances from `for_each`/`count`, values unknown
//! until apply, modules.

use yagura_checks::{find, Ctx};
use yagura_model::{Inventory, Outcome, Resource};

fn load(files: &[(&str, &str)]) -> Vec<Resource> {
    load_with(files, &[])
}

/// Writes `files` to a temporary root module and loads its `.tf` files; `vars`
/// are `-var` values.
fn load_with(files: &[(&str, &str)], vars: &[(&str, &str)]) -> Vec<Resource> {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        if !name.contains('/') && name.ends_with(".tf") {
            paths.push(p);
        }
    }
    let opts = yagura_terraform::Options {
        vars: vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    };
    let out = yagura_terraform::load_files(&paths, &opts);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    yagura_terraform_azure_gcp::adapt(&out.resources)
}

fn outcome(resources: &[Resource], code: &str, address: &str) -> Outcome {
    let check = find(code).unwrap();
    let inv = Inventory::new(resources.to_vec());
    let ctx = Ctx {
        inventory: &inv,
        now: chrono::Utc::now(),
    };
    let id = format!("terraform:{address}");
    let r = inv.get(&id).unwrap_or_else(|| {
        panic!(
            "no {id} in {:?}",
            resources.iter().map(|r| &r.id).collect::<Vec<_>>()
        )
    });
    check.evaluate(r, &ctx)
}

#[test]
fn for_each_children_follow_their_own_instance() {
    let res = load(&[(
        "main.tf",
        r#"
locals {
  accounts = { public = "container", private = "private" }
}

resource "azurerm_storage_account" "sa" {
  for_each                 = local.accounts
  name                     = "acme${each.key}"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_container" "c" {
  for_each              = local.accounts
  name                  = "data"
  storage_account_id    = azurerm_storage_account.sa[each.key].id
  container_access_type = each.value
}
"#,
    )]);
    assert_eq!(res.len(), 2);
    assert!(matches!(
        outcome(
            &res,
            "AZURE-STORAGE-004",
            r#"azurerm_storage_account.sa["public"]"#
        ),
        Outcome::Fail(_)
    ));
    assert!(matches!(
        outcome(
            &res,
            "AZURE-STORAGE-004",
            r#"azurerm_storage_account.sa["private"]"#
        ),
        Outcome::Pass(_)
    ));
}

#[test]
fn a_variable_without_value_is_not_assessed_and_a_given_value_decides() {
    let main = r#"
variable "admin_cidr" {
  type = string
}

resource "azurerm_network_security_group" "web" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = var.admin_cidr
    destination_address_prefix = "*"
  }
}
"#;
    let res = load(&[("main.tf", main)]);
    let o = outcome(
        &res,
        "AZURE-NETWORK-002",
        "azurerm_network_security_group.web",
    );
    assert!(matches!(o, Outcome::NotAssessed(_)), "{o:?}");
    let res = load_with(&[("main.tf", main)], &[("admin_cidr", "0.0.0.0/0")]);
    let o = outcome(
        &res,
        "AZURE-NETWORK-002",
        "azurerm_network_security_group.web",
    );
    assert!(matches!(o, Outcome::Fail(_)), "{o:?}");
    let res = load_with(&[("main.tf", main)], &[("admin_cidr", "10.0.0.0/8")]);
    let o = outcome(
        &res,
        "AZURE-NETWORK-002",
        "azurerm_network_security_group.web",
    );
    assert!(matches!(o, Outcome::Pass(_)), "{o:?}");
}

#[test]
fn resources_inside_local_modules() {
    let res = load(&[
        (
            "main.tf",
            r#"
module "db" {
  source = "./modules/db"
  tier   = "db-f1-micro"
}
"#,
        ),
        (
            "modules/db/main.tf",
            r#"
variable "tier" {
  type = string
}

resource "google_sql_database_instance" "this" {
  name             = "acme"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = var.tier
    ip_configuration {
      ipv4_enabled = true
      authorized_networks {
        name  = "all"
        value = "0.0.0.0/0"
      }
    }
  }
}
"#,
        ),
    ]);
    let addr = "module.db.google_sql_database_instance.this";
    assert!(matches!(
        outcome(&res, "GCP-SQL-002", addr),
        Outcome::Fail(_)
    ));
    assert!(matches!(
        outcome(&res, "GCP-SQL-007", addr),
        Outcome::Fail(_)
    ));
    let loc = res[0].location.as_ref().unwrap();
    assert!(loc.file.ends_with("modules/db/main.tf"), "{}", loc.file);
    assert_eq!(loc.start_line, Some(6));
}
