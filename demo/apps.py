from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and the synthetic data generator (manage.py load_demo,
    generate_data): the top app below config, reading every other one."""

    name = "demo"
    verbose_name = "demo"
