//! Per-service request-rate limits, so a staging account's quotas are respected.

use super::service::Service;
use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::time::Duration;

/// governor's clock reading tokio's time, so a paced run sleeps on the same clock it
/// measures with (and tests with paused tokio time see an exact schedule).
#[derive(Debug, Clone)]
struct TokioClock {
    origin: tokio::time::Instant,
}

impl Clock for TokioClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        tokio::time::Instant::now() - self.origin
    }
}

type Limiter = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Duration>>;

/// One limiter per service; without a limit, requests go out as fast as permits allow.
#[derive(Debug)]
pub struct RateLimits {
    clock: TokioClock,
    limiters: BTreeMap<Service, Limiter>,
}

impl RateLimits {
    /// Requests to each service are spaced evenly at `max_rps` per second with no burst, so
    /// no one-second window holds more than `max_rps` requests to a service.
    pub fn new(max_rps: Option<NonZeroU32>) -> RateLimits {
        let clock = TokioClock {
            origin: tokio::time::Instant::now(),
        };
        let limiters = match max_rps {
            None => BTreeMap::new(),
            Some(rate) => Service::ALL
                .into_iter()
                .map(|service| {
                    let quota = Quota::per_second(rate).allow_burst(NonZeroU32::MIN);
                    (
                        service,
                        RateLimiter::direct_with_clock(quota, clock.clone()),
                    )
                })
                .collect(),
        };
        RateLimits { clock, limiters }
    }

    /// Waits until `service` may receive one more request.
    pub async fn until_ready(&self, service: Service) {
        let Some(limiter) = self.limiters.get(&service) else {
            return;
        };
        while let Err(not_until) = limiter.check() {
            tokio::time::sleep(not_until.wait_time_from(self.clock.now())).await;
        }
    }
}
