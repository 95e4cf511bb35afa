"""Small registry files used by the registry tests."""

GOOD_YAML = """\
vendors:
  - name: Okta
    aliases: [Okta Workforce Identity]
    domains: [okta.com]
    category: identity-provider
    criticality: critical
    owner: iam-team
    users: 800
    dependencies:
      - name: Workforce SSO
        kind: sso
        revocation_sla: 4h
        privilege_scope: admin
        trust_width: 40
        credentials:
          - name: Okta admin API token
            kind: api-token
            owner: platform-team
            rotation_sla: 24h
          - name: SCIM bearer token
            kind: api-token
            owner: iam-team
            rotation_sla: 12h
  - name: GitHub
    domains: [github.com]
    category: source-control
    criticality: high
    owner: platform-team
    dependencies:
      - name: Actions deploy key
        kind: ssh-key
        revocation_sla: 1d
        credentials:
          - name: Deploy key prod
            kind: ssh-key
            rotation_sla: 2d
"""
