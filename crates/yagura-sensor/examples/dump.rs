//! Prints the sensor's raw records for a few seconds: a debugging aid.
//! `cargo run -p yagura-sensor --example dump -- SECONDS`
use std::time::{Duration, Instant};

use yagura_event::EventType;
use yagura_sensor::{abi, preflight, Sensor, SensorConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secs: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    preflight()?;
    let config = SensorConfig {
        event_types: EventType::ALL.iter().copied().collect(),
        ..Default::default()
    };
    let mut sensor = Sensor::start(&config)?;
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        sensor.poll(Duration::from_millis(100), |data| match abi::decode(data) {
            Ok(r) => println!("{r:?}"),
            Err(e) => eprintln!("bad record: {e}"),
        })?;
    }
    eprintln!("{:?}", sensor.counters()?);
    Ok(())
}
