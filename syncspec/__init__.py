"""syncspec: configuration-as-code for SuperOffice CRM's ERP synchronization."""

__version__ = "0.1.0"
