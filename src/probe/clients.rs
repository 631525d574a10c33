//! The SDK clients one user's probes go through.

use aws_config::SdkConfig;

/// S3, DynamoDB and Secrets Manager clients sharing one user's credentials and settings.
#[derive(Debug, Clone)]
pub struct ProbeClients {
    pub s3: aws_sdk_s3::Client,
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub secrets: aws_sdk_secretsmanager::Client,
    /// The region, recorded with every canary so cleanup reaches the same place.
    pub region: String,
    /// The endpoint override (local staging), recorded with every canary.
    pub endpoint_url: Option<String>,
}

impl ProbeClients {
    /// Builds the clients from a user's SDK config. With an endpoint override S3 uses
    /// path-style addressing, since a loopback endpoint has no per-bucket host names.
    // Path-style requests put the bucket in the path
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html#path-style-access).
    pub fn new(config: &SdkConfig) -> ProbeClients {
        let endpoint_url = config.endpoint_url().map(str::to_owned);
        let s3_config = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(endpoint_url.is_some())
            .build();
        ProbeClients {
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            dynamodb: aws_sdk_dynamodb::Client::new(config),
            secrets: aws_sdk_secretsmanager::Client::new(config),
            region: config
                .region()
                .map(|region| region.as_ref().to_owned())
                .unwrap_or_default(),
            endpoint_url,
        }
    }
}
