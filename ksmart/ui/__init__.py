"""The only Streamlit code inside ksmart: cached access, filters, page setup."""
